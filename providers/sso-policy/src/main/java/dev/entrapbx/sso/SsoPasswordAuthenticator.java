package dev.entrapbx.sso;

import dev.entrapbx.kc.EmailAddresses;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
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
 * Gate ({@link SsoGate}): when SSO applies to the user, the password is refused without being
 * checked (so a kept password can not be probed), with the same message and work as a wrong
 * password. The page's wording depends on the address's domain only: for a domain whose
 * organization signs in with Microsoft, the page offers "Sign in with Microsoft" and every refusal
 * says that accounts of the domain sign in with Microsoft; elsewhere it is Keycloak's "Invalid
 * username or password". So known, unknown, excluded and SSO addresses of one domain look alike.
 * An SSO refusal is a LOGIN_ERROR event with error {@value SsoGate#SSO_REQUIRED}; it does not count
 * as a failed password for brute-force protection (else anyone could lock an SSO user out).
 */
public class SsoPasswordAuthenticator extends UsernamePasswordForm {

    /** Event error and direct-grant reason when a password is refused because SSO applies. */
    public static final String SSO_REQUIRED = SsoGate.SSO_REQUIRED;
    /** Form field of the page's "Sign in with Microsoft" button. */
    static final String USE_SSO = "entraPbxUseSso";
    /** Template attribute: the address's domain signs in with Microsoft; the page shows the Microsoft button. */
    static final String SSO_ATTRIBUTE = "entraPbxSso";
    /** Refusal on an SSO domain, whatever the reason (unknown, wrong password, SSO applies); {0} is the domain. */
    static final String MSG_INVALID_OR_SSO = "entraPbxInvalidOrSso";

    public SsoPasswordAuthenticator(KeycloakSession session) {
        super(session);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (context.getUser() != null) {
            context.getAuthenticationSession().setAuthNote(USER_SET_BEFORE_USERNAME_PASSWORD_AUTH, "true");
        }
        context.challenge(challenge(context, null, null));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String typed = context.getAuthenticationSession().getAuthNote(ATTEMPTED_USERNAME);
        if (form.containsKey(USE_SSO)) {
            Optional<SsoDecision> route = ssoRoute(context);
            if (route.isPresent()) {
                SsoRedirect.toIdentityProvider(context, route.get().identityProvider(), typed);
                return;
            }
        }
        if (context.getUser() == null && typed == null) {
            // no address from step 1 (flow misconfigured: this step needs the email step before it)
            context.failureChallenge(AuthenticationFlowError.INVALID_USER, challenge(context, Messages.INVALID_USER, Validation.FIELD_PASSWORD));
            return;
        }
        MultivaluedMap<String, String> data = new MultivaluedHashMap<>(form);
        if (typed != null && context.getUser() == null) {
            data.putSingle(AuthenticationManager.FORM_USERNAME, typed);
        }
        if (validateUserAndPassword(context, data)) {
            context.success();
        }
    }

    /** The gate: runs where Keycloak would check the password, for whichever way the user was identified. */
    @Override
    public boolean validatePassword(AuthenticationFlowContext context, UserModel user, MultivaluedMap<String, String> inputData, boolean clearUser) {
        String typed = context.getAuthenticationSession().getAuthNote(ATTEMPTED_USERNAME);
        if (SsoGate.refuses(context, user, typed).isPresent()) {
            context.forceChallenge(challenge(context, getDefaultChallengeMessage(context), Validation.FIELD_PASSWORD));
            if (clearUser) {
                context.clearUser();
            }
            return false;
        }
        return super.validatePassword(context, user, inputData, clearUser);
    }

    /** Every message on the password field; "invalid" becomes the SSO domain's wording there, for every address of it. */
    @Override
    protected Response challenge(AuthenticationFlowContext context, String error, String field) {
        LoginFormsProvider form = context.form().setExecution(context.getExecution().getId());
        Optional<String> ssoDomain = ssoRoute(context).flatMap(d -> EmailAddresses.domainOf(typed(context)));
        if (error != null) {
            form.addError(Messages.INVALID_USER.equals(error) && ssoDomain.isPresent()
                    ? new FormMessage(Validation.FIELD_PASSWORD, MSG_INVALID_OR_SSO, ssoDomain.get())
                    : new FormMessage(Validation.FIELD_PASSWORD, error));
        }
        if (ssoDomain.isPresent()) {
            form.setAttribute(SSO_ATTRIBUTE, Boolean.TRUE);
        }
        return form.createLoginPassword();
    }

    private static String typed(AuthenticationFlowContext context) {
        return context.getAuthenticationSession().getAuthNote(ATTEMPTED_USERNAME);
    }

    /** Where the typed address's domain routes, when that is Microsoft (public: the domain says it). */
    private static Optional<SsoDecision> ssoRoute(AuthenticationFlowContext context) {
        String typed = typed(context);
        if (typed == null) {
            return Optional.empty();
        }
        SsoDecision route = new SsoDecider(context.getSession(), context.getRealm()).route(typed);
        return route.sso() ? Optional.of(route) : Optional.empty();
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
