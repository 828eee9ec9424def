package dev.entrapbx.sync.admin;

import dev.entrapbx.kc.AdminResourceFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Mounts {@link EntraSyncAdminResource} at {@code /admin/realms/{realm}/entra-sync}. */
public class EntraSyncAdminResourceProviderFactory implements AdminResourceFactory {

    public static final String ID = "entra-sync";

    @Override
    public Object resource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new EntraSyncAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return ID;
    }
}
