package dev.entrapbx.directory;

import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import org.hibernate.Session;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.connections.jpa.util.JpaUtils;
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
        T run(Jdbc db) throws SQLException;
    }

    private Db() {
    }

    static <T> T run(KeycloakSession session, Work<T> work) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        em.flush();
        String prefix = JpaUtils.getTableNameForNativeQuery("", em); // "<schema>." or ""
        return em.unwrap(Session.class).doReturningWork(c -> {
            try {
                return work.run(new Jdbc(c, prefix));
            } catch (SQLException e) {
                throw new ModelException("PBX directory: " + e.getMessage(), e);
            }
        });
    }
}
