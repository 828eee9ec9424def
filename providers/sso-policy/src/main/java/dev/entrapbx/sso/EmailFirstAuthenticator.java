package dev.entrapbx.sso;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.validation.Validation;

/**
 * Step 1 of the email-first login: asks for the email (Keycloak's {@code login-username.ftl}, so any
 * login theme works), then decides with {@link SsoDecider}. SSO: the browser goes straight to the
 * organization's Microsoft Entra ID provider with {@code login_hint} (the provider adds
 * {@code domain_hint}). The route depends on the address's domain only ({@link SsoDecider#route}):
 * known, unknown, excluded and non-member addresses of one domain get the same answer, so the page
 * tells nothing about which accounts exist or which are exceptions. Otherwise (and for everyone who
 * presses "Sign in with a password", form field {@value #USE_PASSWORD}: how excluded users of an SSO
 * domain reach their password) the flow continues to {@link SsoPasswordAuthenticator} with the
 * address as the attempted username and NO user set, whether the address is known or not.
 * <p>
 * The address is remembered in a cookie ({@link LastEmailCookie}) and filled in next time, with a
 * "Not you?" button that forgets it. A {@code login_hint} from the client is filled in likewise.
 * A user already identified (re-authentication) is decided at once, without the page. Also installs
 * the ready-made flows into every realm when it is created or imported.
 */
public class EmailFirstAuthenticator extends SsoStep {

    public static final String PROVIDER_ID = "entra-pbx-email-first";

    /** Form field of the "Not you?" button. */
    static final String FORGET = "entraPbxForget";
    /** Form field of the "Sign in with a password" button: the password step, for any address. */
    static final String USE_PASSWORD = "entraPbxUsePassword";
    /** Template attribute: the remembered address, when the page shows it. */
    static final String REMEMBERED = "entraPbxRemembered";
    static final String MSG_ENTER_EMAIL = "entraPbxEnterEmail";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (user != null) {
            SsoDecision d = new SsoDecider(context.getSession(), context.getRealm()).forUser(user, null);
            d.meter(context.getRealm().getName());
            if (d.sso()) {
                SsoRedirect.toIdentityProvider(context, d.identityProvider(), user.getEmail() != null ? user.getEmail() : user.getUsername());
            } else {
                context.success();
            }
            return;
        }
        String hint = context.getAuthenticationSession().getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        String prefill = LastEmailCookie.plausible(hint) ? hint.strip() : LastEmailCookie.read(context.getSession());
        context.challenge(page(context, prefill, prefill != null && !LastEmailCookie.plausible(hint), null));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (form.containsKey(FORGET)) {
            LastEmailCookie.clear(context.getSession(), context.getRealm());
            context.challenge(page(context, null, false, null));
            return;
        }
        String typed = form.getFirst(AuthenticationManager.FORM_USERNAME);
        typed = typed == null ? "" : typed.strip();
        if (typed.isEmpty() || !LastEmailCookie.plausible(typed)) {
            context.getEvent().error(Errors.USER_NOT_FOUND);
            context.failureChallenge(AuthenticationFlowError.INVALID_USER, page(context, null, false, MSG_ENTER_EMAIL));
            return;
        }
        AuthenticatorUtils.processRememberMe(context, form);
        context.getEvent().detail(Details.USERNAME, typed);
        context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, typed);
        LastEmailCookie.write(context.getSession(), context.getRealm(), typed);

        SsoDecision d = new SsoDecider(context.getSession(), context.getRealm()).route(typed);
        d.meter(context.getRealm().getName());
        if (d.sso() && !form.containsKey(USE_PASSWORD)) {
            SsoRedirect.toIdentityProvider(context, d.identityProvider(), typed);
            return;
        }
        // the password page shows the address typed (with "restart login"), for known and unknown users alike
        context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.USERNAME_HIDDEN, "true");
        context.success();
    }

    private static Response page(AuthenticationFlowContext context, String prefill, boolean remembered, String error) {
        LoginFormsProvider form = context.form().setExecution(context.getExecution().getId());
        MultivaluedMap<String, String> data = new MultivaluedHashMap<>(); // never echo the posted form back
        if (prefill != null) {
            data.add(AuthenticationManager.FORM_USERNAME, prefill);
            if (remembered) {
                form.setAttribute(REMEMBERED, prefill);
            }
        }
        form.setFormData(data);
        if (error != null) {
            form.addError(new FormMessage(Validation.FIELD_USERNAME, error));
        }
        return form.createLoginUsername();
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
        return "Asks for the email, then sends addresses of a domain that signs in with Microsoft (entra-pbx SSO policies) to Microsoft "
                + "with login_hint; everyone else, and whoever asks for it, continues to 'Password (entra-pbx SSO gate)'.";
    }

    /** Installs the ready-made flows ({@link SsoFlows}) into every realm when it is created or imported. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created) {
                SsoFlows.install(created.getKeycloakSession(), created.getCreatedRealm());
            }
        });
    }
}
