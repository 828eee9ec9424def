package dev.entrapbx.onboarding;

import dev.entrapbx.kc.AdminResourceFactory;
import java.time.Clock;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Mounts {@link OnboardingAdminResource} at {@code /admin/realms/{realm}/entra-onboarding}. */
public class OnboardingAdminResourceFactory implements AdminResourceFactory {

    public static final String ID = "entra-onboarding";

    @Override
    public Object resource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new OnboardingAdminResource(session, realm, auth, adminEvent, Clock.systemUTC());
    }

    @Override
    public String getId() {
        return ID;
    }
}
