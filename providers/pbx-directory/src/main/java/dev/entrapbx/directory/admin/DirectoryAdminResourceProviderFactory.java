package dev.entrapbx.directory.admin;

import dev.entrapbx.kc.AdminResourceFactory;
import java.time.Clock;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Admin REST {@code /admin/realms/{realm}/pbx-directory} ({@link DirectoryAdminResource}). */
public class DirectoryAdminResourceProviderFactory implements AdminResourceFactory {

    public static final String PROVIDER_ID = "pbx-directory";

    @Override
    public Object resource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new DirectoryAdminResource(session, realm, auth, adminEvent, Clock.systemUTC());
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
