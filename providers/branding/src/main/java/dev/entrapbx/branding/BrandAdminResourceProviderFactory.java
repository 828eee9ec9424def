package dev.entrapbx.branding;

import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.StatelessProviderFactory;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Admin REST {@code /admin/realms/{realm}/brand}: read and validated update ({@link BrandAdminResource}). */
public class BrandAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, ServerInfoAwareProviderFactory, StatelessProviderFactory<AdminRealmResourceProvider> {

    public static final String PROVIDER_ID = "brand";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return new AdminRealmResourceProvider() {
            @Override
            public Object getResource(KeycloakSession s, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
                return new BrandAdminResource(s, realm, auth, adminEvent);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}
