package dev.entrapbx.sso.admin;

import dev.entrapbx.kc.AdminResourceFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Mounts {@link SsoPolicyAdminResource} at {@code /admin/realms/{realm}/sso-policy}. */
public class SsoPolicyAdminResourceProviderFactory implements AdminResourceFactory {

    public static final String ID = "sso-policy";

    @Override
    public Object resource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new SsoPolicyAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return ID;
    }
}
