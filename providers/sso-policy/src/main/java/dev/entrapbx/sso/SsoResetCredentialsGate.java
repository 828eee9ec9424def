package dev.entrapbx.sso;

import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.DefaultActionTokenKey;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.messages.Messages;

/**
 * "SSO reset gate (entra-pbx)": in the reset-credentials flow, after "Choose User" and before
 * "Send Reset Email". While SSO applies to the chosen user, no local password is set without
 * Microsoft, in either phase of the flow:
 * <ul>
 *   <li><b>Asking for a link.</b> No reset link is sent. The page is the same "You should receive an
 *       email shortly" every address gets (known, unknown, SSO or not), so nothing is enumerated; the
 *       user receives an email saying that their organization signs them in with Microsoft and that
 *       the password is reset with Microsoft.</li>
 *   <li><b>Opening a link</b> (sent before SSO applied, in the browser that asked for it or in any
 *       other): Keycloak runs the flow again from the top with the link's user. The gate stops it
 *       there with a page saying why: no new password, and (same browser) no session. Whoever opens a
 *       link already knows the account, so the page may say so.</li>
 * </ul>
 * Users SSO does not apply to (SSO off, excluded, not covered) reset their password as usual.
 */
public class SsoResetCredentialsGate extends SsoStep {

    public static final String PROVIDER_ID = "entra-pbx-reset-credentials-sso-gate";
    /** Email templates (html/ and text/) and subject of the "reset it with Microsoft" email; in this jar's theme-resources. */
    static final String EMAIL_TEMPLATE = "entra-pbx-sso-password-reset.ftl";
    static final String EMAIL_SUBJECT = "entraPbxSsoResetSubject";
    static final String MSG_RESET_SSO = "entraPbxResetSso";
    private static final Logger LOG = Logger.getLogger(SsoResetCredentialsGate.class);

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (user == null) {
            context.success(); // "Send Reset Email" answers for unknown and disabled addresses
            return;
        }
        String linkUser = context.getAuthenticationSession().getAuthNote(DefaultActionTokenKey.ACTION_TOKEN_USER_ID);
        String typed = context.getAuthenticationSession().getAuthNote(org.keycloak.authentication.authenticators.browser
                .AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        SsoDecision d = new SsoDecider(context.getSession(), context.getRealm()).forUser(user, linkUser != null ? null : typed);
        if (!d.sso()) {
            context.success();
            return;
        }
        if (linkUser != null) {
            SsoGate.record(context.getEvent(), user, d, d.reason().name());
            context.failure(AuthenticationFlowError.ACCESS_DENIED, SsoGate.resetRefused(context.form()));
            return;
        }
        Optional<String> mailFailure = sendUseMicrosoftEmail(context, user);
        SsoGate.record(context.getEvent().clone().event(EventType.SEND_RESET_PASSWORD)
                        .detail(Details.USERNAME, typed != null ? typed : user.getUsername()), user, d,
                mailFailure.map(f -> d.reason().name() + "; email not sent: " + f).orElse(d.reason().name()));
        context.forkWithSuccessMessage(new FormMessage(Messages.EMAIL_SENT));
    }

    /** The "your password is reset with Microsoft" email; a failure is logged and leaves the page unchanged (like Keycloak's reset email). */
    private static Optional<String> sendUseMicrosoftEmail(AuthenticationFlowContext context, UserModel user) {
        if (user.getEmail() == null || user.getEmail().isBlank()) {
            return Optional.of("the user has no email");
        }
        try {
            context.getSession().getProvider(EmailTemplateProvider.class).setRealm(context.getRealm()).setUser(user)
                    .setAuthenticationSession(context.getAuthenticationSession())
                    .send(EMAIL_SUBJECT, List.of(), EMAIL_TEMPLATE, new HashMap<>()); // Keycloak adds its own attributes to the map
            return Optional.empty();
        } catch (EmailException e) {
            LOG.warnf("Realm %s: the 'sign in with Microsoft' email for a password-reset request could not be sent: %s",
                    context.getRealm().getName(), e.getMessage());
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "SSO reset gate (entra-pbx)";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public String getHelpText() {
        return "Reset credentials: place after 'Choose User'. While SSO applies to the user no reset link is sent (the page is the same "
                + "for every address; the user is emailed that the password is reset with Microsoft), and a link sent earlier is refused.";
    }
}
