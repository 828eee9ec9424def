package dev.entrapbx.branding;

import dev.entrapbx.kc.RealmResourceFactory;
import org.keycloak.models.KeycloakSession;

/** Public realm resource {@code /realms/{realm}/brand}: the brand stylesheet ({@link BrandResource}). */
public class BrandResourceProviderFactory implements RealmResourceFactory {

    public static final String PROVIDER_ID = "brand";

    @Override
    public Object resource(KeycloakSession session) {
        return new BrandResource(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
