package dev.entrapbx.directory;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.Session;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;

/**
 * JDBC on the session's own transaction: the directory's reads and writes are a few set-at-a-time
 * statements, so they go straight to the connection Keycloak's JPA transaction holds (after a
 * flush, so they see what the transaction has changed so far).
 */
final class Db {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection db) throws SQLException;
    }

    private Db() {
    }

    static <T> T run(KeycloakSession session, Work<T> work) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        em.flush();
        return em.unwrap(Session.class).doReturningWork(c -> {
            try {
                return work.run(c);
            } catch (SQLException e) {
                throw new ModelException("PBX directory: " + e.getMessage(), e);
            }
        });
    }
}
