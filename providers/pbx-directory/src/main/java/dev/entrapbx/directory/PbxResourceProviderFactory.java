package dev.entrapbx.directory;

import dev.entrapbx.kc.RealmResourceFactory;
import org.keycloak.models.KeycloakSession;

/** Realm resource {@code /realms/{realm}/pbx}: the PBX directory ({@link PbxResource}). */
public class PbxResourceProviderFactory implements RealmResourceFactory {

    public static final String PROVIDER_ID = "pbx";

    @Override
    public Object resource(KeycloakSession session) {
        return new PbxResource(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
