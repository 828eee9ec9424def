package dev.entrapbx.branding;

import dev.entrapbx.core.StatelessProviderFactory;
import dev.entrapbx.core.ExtensionInfo;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Public realm resource {@code /realms/{realm}/brand}: the brand stylesheet ({@link BrandResource}). */
public class BrandResourceProviderFactory implements RealmResourceProviderFactory, ServerInfoAwareProviderFactory, StatelessProviderFactory<RealmResourceProvider> {

    public static final String PROVIDER_ID = "brand";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new BrandResource(session);
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
