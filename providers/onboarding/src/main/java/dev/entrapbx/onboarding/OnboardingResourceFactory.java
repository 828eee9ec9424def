package dev.entrapbx.onboarding;

import dev.entrapbx.kc.RealmResourceFactory;
import java.time.Clock;
import org.keycloak.models.KeycloakSession;

/** {@code /realms/<realm>/entra-onboarding}: the pages a customer's Microsoft 365 admin sees ({@link OnboardingResource}). */
public class OnboardingResourceFactory implements RealmResourceFactory {

    public static final String ID = "entra-onboarding";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Object resource(KeycloakSession session) {
        return new OnboardingResource(session, Clock.systemUTC());
    }
}
