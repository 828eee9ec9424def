package dev.entrapbx.sso;

import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.directgrant.AbstractDirectGrantAuthenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;
import java.util.List;

/**
 * Password gate of the direct-grant (resource owner password) flow: placed after "Username
 * Validation" and before "Password", it refuses the grant when SSO applies to the user, without
 * checking the password, with exactly Keycloak's answer for an unknown user or a wrong password
 * ({@code 400 invalid_grant "Invalid user credentials"}) and the same hashing work, so the answer
 * tells nothing about which addresses exist or sign in with Microsoft. The reason is in the
 * LOGIN_ERROR event only (error {@value SsoPasswordAuthenticator#SSO_REQUIRED}). The credential is
 * kept; the refusal does not count towards brute-force lockout (else anyone could lock an SSO user
 * out of Microsoft sign-in too).
 */
public class SsoDirectGrantGate extends AbstractDirectGrantAuthenticator {

    public static final String PROVIDER_ID = "entra-pbx-direct-grant-sso-gate";
    /** Keycloak's own description for an unknown user or a wrong password (ValidateUsername, ValidatePassword). */
    static final String DESCRIPTION = "Invalid user credentials";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (user == null) {
            context.success(); // nothing to gate: Username Validation answers for unknown users
            return;
        }
        String typed = context.getHttpRequest().getDecodedFormParameters().getFirst("username");
        if (SsoGate.refuses(context, user, typed).isEmpty()) {
            context.success();
            return;
        }
        context.forceChallenge(errorResponse(Response.Status.BAD_REQUEST.getStatusCode(), "invalid_grant", DESCRIPTION));
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
        return "SSO password gate (entra-pbx)";
    }

    @Override
    public String getReferenceCategory() {
        return "password";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {AuthenticationExecutionModel.Requirement.REQUIRED,
                AuthenticationExecutionModel.Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public String getHelpText() {
        return "Direct grant: refuses the password of a user to whom SSO applies (entra-pbx SSO policies). Place after Username Validation.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
