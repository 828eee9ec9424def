package dev.entrapbx.sso;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * "Reset Password (entra-pbx SSO gate)": Keycloak's "Reset Password" step of the reset-credentials
 * flow, except that the new password is then asked by {@link SsoUpdatePassword}, which refuses
 * it while SSO applies to the user.
 */
public class SsoResetPassword extends SsoStep {

    public static final String PROVIDER_ID = "entra-pbx-reset-password";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.getAuthenticationSession().addRequiredAction(SsoUpdatePassword.PROVIDER_ID);
        context.success(PasswordCredentialModel.TYPE); // the password category resets a temporary brute-force lockout, as Keycloak's does
    }

    @Override
    public boolean requiresUser() {
        return true;
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
}
