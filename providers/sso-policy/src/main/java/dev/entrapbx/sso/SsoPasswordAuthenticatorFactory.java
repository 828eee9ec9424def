package dev.entrapbx.sso;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.PasswordCredentialModel;

/** "Password (entra-pbx SSO gate)": {@link SsoPasswordAuthenticator}; follows "Email first (entra-pbx SSO)". */
public class SsoPasswordAuthenticatorFactory extends SsoAuthenticatorFactory {

    public static final String PROVIDER_ID = "entra-pbx-password";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new SsoPasswordAuthenticator(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Password (entra-pbx SSO gate)";
    }

    @Override
    public String getReferenceCategory() {
        return PasswordCredentialModel.TYPE;
    }

    @Override
    public String getHelpText() {
        return "Password page after 'Email first (entra-pbx SSO)': identifies the user from the email typed, refuses the password "
                + "(keeping it) while SSO applies, and answers unknown and known addresses alike.";
    }
}
