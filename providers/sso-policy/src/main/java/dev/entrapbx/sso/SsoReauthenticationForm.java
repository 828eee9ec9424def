package dev.entrapbx.sso;

import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.broker.IdpUsernamePasswordForm;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.services.validation.Validation;

/**
 * "Username Password Form for identity provider reauthentication" with the SSO gate: in the first
 * broker login's "Verify Existing Account by Re-authentication", the existing account's password
 * links a new identity-provider account to it. While SSO applies to the existing account its
 * password is kept for outages only, so it must not link anything: it is refused ({@link SsoGate})
 * with a message saying so. Such an account is linked through "Verify existing account by Email"
 * (the alternative before this one) or by its own Microsoft sign-in; with SSO switched off or the
 * user excluded, the password works here again.
 */
public class SsoReauthenticationForm extends IdpUsernamePasswordForm {

    static final String MSG_REAUTH_SSO = "entraPbxReauthenticateSso";

    public SsoReauthenticationForm(KeycloakSession session) {
        super(session);
    }

    @Override
    public boolean validatePassword(AuthenticationFlowContext context, UserModel user, MultivaluedMap<String, String> inputData, boolean clearUser) {
        if (SsoGate.refuses(context, user, null).isPresent()) {
            context.forceChallenge(challenge(context, MSG_REAUTH_SSO, Validation.FIELD_PASSWORD));
            if (clearUser) {
                context.clearUser();
            }
            return false;
        }
        return super.validatePassword(context, user, inputData, clearUser);
    }
}
