package dev.entrapbx.kc;

import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import org.hibernate.Session;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.connections.jpa.util.JpaUtils;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;

/**
 * JDBC on the session's own transaction: set-at-a-time reads and writes of our own tables (and of
 * Keycloak's, read only) go straight to the connection Keycloak's JPA transaction holds (after a
 * flush, so they see what the transaction has changed so far).
 */
public final class Db {

    @FunctionalInterface
    public interface Work<T> {
        T run(Jdbc db) throws SQLException;
    }

    private Db() {
    }

    /** {@code work} on the session's transaction's connection; an SQL error becomes a ModelException naming {@code what}. */
    public static <T> T run(KeycloakSession session, String what, Work<T> work) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        em.flush();
        String prefix = JpaUtils.getTableNameForNativeQuery("", em); // "<schema>." or ""
        return em.unwrap(Session.class).doReturningWork(c -> {
            try {
                return work.run(new Jdbc(c, prefix));
            } catch (SQLException e) {
                throw new ModelException(what + ": " + e.getMessage(), e);
            }
        });
    }
}
