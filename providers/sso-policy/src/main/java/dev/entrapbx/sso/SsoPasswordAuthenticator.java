package dev.entrapbx.sso;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.events.Details;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.messages.Messages;
import org.keycloak.services.validation.Validation;

/**
 * Step 2 of the email-first login: the password page, and the password gate. The user is
 * identified here from the address typed in step 1 (Keycloak's own user lookup, brute-force
 * protection, disabled check and password check), so an unknown address and a known one with a
 * wrong password get the same page, message and field, and the same hashing work (Keycloak's dummy
 * hash for an unknown user).
 * <p>
 * Gate: when SSO applies to the user ({@link SsoDecider}), the password is refused BEFORE it is
 * checked (so a kept password can not be probed), with a message and a "Sign in with Microsoft"
 * button; the credential itself is kept, so switching SSO off or excluding the user restores
 * password sign-in at once. The refusal is a LOGIN_ERROR event with error {@value #SSO_REQUIRED}; it
 * does not count as a failed password for brute-force protection.
 */
public class SsoPasswordAuthenticator extends UsernamePasswordForm {

    /** Event error and direct-grant reason when a password is refused because SSO applies. */
    public static final String SSO_REQUIRED = "sso_required";
    /** Form field of the page's "Sign in with Microsoft" button. */
    static final String USE_SSO = "entraPbxUseSso";
    /** Template attribute: SSO applies; the page shows the Microsoft button. */
    static final String SSO_ATTRIBUTE = "entraPbxSso";
    static final String MSG_SSO_REQUIRED = "entraPbxSsoRequired";

    public SsoPasswordAuthenticator(KeycloakSession session) {
        super(session);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (context.getUser() != null) {
            context.getAuthenticationSession().setAuthNote(USER_SET_BEFORE_USERNAME_PASSWORD_AUTH, "true");
        }
        context.challenge(context.form().setExecution(context.getExecution().getId()).createLoginPassword());
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String typed = context.getAuthenticationSession().getAuthNote(ATTEMPTED_USERNAME);
        SsoDecider decider = new SsoDecider(context.getSession(), context.getRealm());
        UserModel user = context.getUser() != null ? context.getUser() : typed == null ? null : decider.lookup(typed);
        if (user == null && typed == null) {
            // no address from step 1 (flow misconfigured: this step needs the email step before it)
            context.failureChallenge(AuthenticationFlowError.INVALID_USER, challenge(context, Messages.INVALID_USER, Validation.FIELD_PASSWORD));
            return;
        }
        if (user != null) {
            SsoDecision d = decider.forUser(user, typed);
            if (d.sso()) {
                if (form.containsKey(USE_SSO)) {
                    SsoRedirect.toIdentityProvider(context, d.identityProvider(), typed != null ? typed : user.getUsername());
                    return;
                }
                context.getEvent().user(user).detail(Details.USERNAME, typed != null ? typed : user.getUsername())
                        .detail(Details.IDENTITY_PROVIDER, d.identityProvider()).error(SSO_REQUIRED);
                context.forceChallenge(ssoRequiredPage(context));
                return;
            }
        }
        MultivaluedMap<String, String> data = new MultivaluedHashMap<>(form);
        if (typed != null && context.getUser() == null) {
            data.putSingle(AuthenticationManager.FORM_USERNAME, typed);
        }
        if (validateUserAndPassword(context, data)) {
            context.success();
        }
    }

    private static Response ssoRequiredPage(AuthenticationFlowContext context) {
        LoginFormsProvider form = context.form().setExecution(context.getExecution().getId());
        form.setAttribute(SSO_ATTRIBUTE, Boolean.TRUE);
        form.addError(new org.keycloak.models.utils.FormMessage(Validation.FIELD_PASSWORD, MSG_SSO_REQUIRED));
        return form.createLoginPassword();
    }

    /** Every error on the password field, so an unknown user and a wrong password look the same. */
    @Override
    protected Response challenge(AuthenticationFlowContext context, String error, String field) {
        return super.challenge(context, error, Validation.FIELD_PASSWORD);
    }

    @Override
    protected Response createLoginForm(LoginFormsProvider form) {
        return form.createLoginPassword();
    }

    @Override
    protected String getDefaultChallengeMessage(AuthenticationFlowContext context) {
        return Messages.INVALID_USER;
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }
}
