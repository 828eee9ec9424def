package dev.entrapbx.sync.photo;

import dev.entrapbx.core.ExtensionInfo;
import dev.entrapbx.core.StatelessProviderFactory;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Realm resource {@code /realms/{realm}/entra-photos}: synced users' profile photos ({@link PhotoResource}). */
public class PhotoResourceProviderFactory implements RealmResourceProviderFactory, ServerInfoAwareProviderFactory,
        StatelessProviderFactory<RealmResourceProvider> {

    public static final String PROVIDER_ID = "entra-photos";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new PhotoResource(session);
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
