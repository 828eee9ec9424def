package dev.entrapbx.branding;

import dev.entrapbx.kc.AdminResourceFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Admin REST {@code /admin/realms/{realm}/brand}: read and validated update ({@link BrandAdminResource}). */
public class BrandAdminResourceProviderFactory implements AdminResourceFactory {

    public static final String PROVIDER_ID = "brand";

    @Override
    public Object resource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new BrandAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
