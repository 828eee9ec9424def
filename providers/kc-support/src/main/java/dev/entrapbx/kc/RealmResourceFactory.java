package dev.entrapbx.kc;

import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * A realm resource ({@code /realms/{realm}/<id>}) whose provider holds nothing but the JAX-RS
 * resource it creates per request; the factory states only the id and the resource.
 */
public interface RealmResourceFactory extends RealmResourceProviderFactory, ServerInfoAwareProviderFactory,
        StatelessProviderFactory<RealmResourceProvider> {

    /** The JAX-RS resource for one request. */
    Object resource(KeycloakSession session);

    @Override
    default RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource(session);
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
