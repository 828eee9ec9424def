package dev.entrapbx.sync;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakSessionTask;
import org.keycloak.models.KeycloakSessionTaskWithResult;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The run's transactions: every step of a sync runs as a job of its own (its own session and
 * transaction) in the component's realm. Binding the session to the realm is explicit
 * ({@link #realm}), as only the steps that use Keycloak's realm-scoped providers need it.
 */
final class RealmJobs {

    private final KeycloakSessionFactory factory;
    private final String realmId;

    RealmJobs(KeycloakSessionFactory factory, String realmId) {
        this.factory = factory;
        this.realmId = realmId;
    }

    KeycloakSessionFactory factory() {
        return factory;
    }

    String realmId() {
        return realmId;
    }

    /** The job in a transaction of its own. */
    void run(KeycloakSessionTask job) {
        KeycloakModelUtils.runJobInTransaction(factory, job);
    }

    /** The job's result, in a transaction of its own. */
    <T> T get(KeycloakSessionTaskWithResult<T> job) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, job);
    }

    /** The realm, with the session bound to it (Keycloak's realm-scoped providers need that). */
    RealmModel realm(KeycloakSession s) {
        RealmModel realm = s.realms().getRealm(realmId);
        if (realm == null) {
            throw new IllegalStateException("realm " + realmId + " is gone");
        }
        s.getContext().setRealm(realm);
        return realm;
    }

    static EntityManager em(KeycloakSession s) {
        return s.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
