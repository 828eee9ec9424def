package dev.entrapbx.sync.photo;

import dev.entrapbx.kc.RealmResourceFactory;
import org.keycloak.models.KeycloakSession;

/** Realm resource {@code /realms/{realm}/entra-photos}: synced users' profile photos ({@link PhotoResource}). */
public class PhotoResourceProviderFactory implements RealmResourceFactory {

    public static final String PROVIDER_ID = "entra-photos";

    @Override
    public Object resource(KeycloakSession session) {
        return new PhotoResource(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
