package dev.entrapbx.kc;

import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * An admin REST resource ({@code /admin/realms/{realm}/<id>}) whose provider holds nothing but the
 * JAX-RS resource it creates per request; the factory states only the id and the resource. The
 * resource checks permissions through the {@link AdminPermissionEvaluator} it is given and answers
 * errors as {@link AdminError}.
 */
public interface AdminResourceFactory extends AdminRealmResourceProviderFactory, ServerInfoAwareProviderFactory,
        StatelessProviderFactory<AdminRealmResourceProvider> {

    /** The JAX-RS resource for one request. */
    Object resource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent);

    @Override
    default AdminRealmResourceProvider create(KeycloakSession session) {
        return new AdminRealmResourceProvider() {
            @Override
            public Object getResource(KeycloakSession s, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
                return resource(s, realm, auth, adminEvent);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    default Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}
