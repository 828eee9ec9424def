package dev.entrapbx.sso;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

/**
 * "Email first (entra-pbx SSO)": {@link EmailFirstAuthenticator}. Also installs the ready-made
 * flows ({@link SsoFlows}) into every realm when it is created or imported.
 */
public class EmailFirstAuthenticatorFactory extends SsoAuthenticatorFactory {

    public static final String PROVIDER_ID = "entra-pbx-email-first";
    private static final EmailFirstAuthenticator SINGLETON = new EmailFirstAuthenticator();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Email first (entra-pbx SSO)";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public String getHelpText() {
        return "Asks for the email, then sends SSO users (entra-pbx SSO policies) to Microsoft with login_hint; "
                + "everyone else continues to 'Password (entra-pbx SSO gate)'.";
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created) {
                SsoFlows.install(created.getKeycloakSession(), created.getCreatedRealm());
            }
        });
    }
}
