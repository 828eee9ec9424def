package dev.entrapbx.sync;

import dev.entrapbx.kc.SystemAdminEvents;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStorageProviderModel;

/** Admin events the sync raises by itself (outside an admin request), e.g. when the guard trips. */
final class AdminEvents {

    private static final Logger LOG = Logger.getLogger(AdminEvents.class);
    static final String GUARD_RESOURCE_TYPE = "ENTRA_SYNC_GUARD";

    private AdminEvents() {
    }

    static void guardTripped(KeycloakSessionFactory factory, String realmId, UserStorageProviderModel model, int actions, int total,
                             String message) {
        LOG.warnf("Entra sync '%s' (realm %s): %s", model.getName(), realmId, message);
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            if (realm == null) {
                return;
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("component", model.getName());
            details.put("wouldRemove", String.valueOf(actions));
            details.put("syncedUsers", String.valueOf(total));
            details.put("message", message);
            SystemAdminEvents.fire(s, realm, GUARD_RESOURCE_TYPE, "components/" + model.getId(), details);
        });
    }
}
