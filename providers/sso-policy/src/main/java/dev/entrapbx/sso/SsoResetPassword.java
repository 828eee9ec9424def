package dev.entrapbx.sso;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * "Reset Password (entra-pbx SSO gate)": Keycloak's "Reset Password" step of the reset-credentials
 * flow, except that the new password is then asked by {@link SsoUpdatePassword}, which refuses
 * it while SSO applies to the user.
 */
public class SsoResetPassword extends SsoAuthenticatorFactory implements Authenticator {

    public static final String PROVIDER_ID = "entra-pbx-reset-password";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.getAuthenticationSession().addRequiredAction(SsoUpdatePassword.PROVIDER_ID);
        context.success(PasswordCredentialModel.TYPE); // the password category resets a temporary brute-force lockout, as Keycloak's does
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        authenticate(context);
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return this;
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Reset Password (entra-pbx SSO gate)";
    }

    @Override
    public String getReferenceCategory() {
        return PasswordCredentialModel.TYPE;
    }

    @Override
    public String getHelpText() {
        return "Reset credentials: asks for the new password through 'Update Password (entra-pbx SSO gate)', which refuses it while SSO "
                + "applies to the user.";
    }

    @Override
    public void close() {
    }
}
