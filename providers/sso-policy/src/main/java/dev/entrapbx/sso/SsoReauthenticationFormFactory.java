package dev.entrapbx.sso;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.PasswordCredentialModel;

/** "Re-authentication password (entra-pbx SSO gate)": {@link SsoReauthenticationForm}, for the first broker login. */
public class SsoReauthenticationFormFactory extends SsoAuthenticatorFactory {

    public static final String PROVIDER_ID = "entra-pbx-idp-reauthentication";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new SsoReauthenticationForm(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Re-authentication password (entra-pbx SSO gate)";
    }

    @Override
    public String getReferenceCategory() {
        return PasswordCredentialModel.TYPE;
    }

    @Override
    public String getHelpText() {
        return "First broker login: Keycloak's re-authentication form, except that the password of an account to which SSO applies "
                + "does not link an identity-provider account to it (email verification or the account's own Microsoft sign-in does).";
    }
}
