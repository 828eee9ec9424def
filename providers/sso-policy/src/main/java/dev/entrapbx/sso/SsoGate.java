package dev.entrapbx.sso;

import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.UserModel;

/**
 * The password gate every entra-pbx step that checks a password shares: while SSO applies to the
 * user ({@link SsoDecider#forUser}) their password is refused without being checked, but with the
 * same work as a check (Keycloak's dummy hash), so neither the answer nor its timing tells a
 * refused SSO account from a wrong password or an unknown address. Why it was refused goes into
 * the event only (error {@value #SSO_REQUIRED}, details {@code identity_provider} and {@code reason}).
 * The credential itself is kept: switching SSO off or excluding the user restores it at once.
 */
final class SsoGate {

    /** Event error (and reason) when a password is refused because SSO applies. */
    static final String SSO_REQUIRED = "sso_required";

    private SsoGate() {
    }

    /**
     * The decision when SSO applies to {@code user} (the password must then be refused), after doing
     * the work of a password check and recording the reason in the flow's event; empty otherwise.
     */
    static Optional<SsoDecision> refuses(AuthenticationFlowContext context, UserModel user, String typed) {
        SsoDecision d = new SsoDecider(context.getSession(), context.getRealm()).forUser(user, typed);
        if (!d.sso()) {
            return Optional.empty();
        }
        AuthenticatorUtils.dummyHash(context);
        record(context.getEvent().detail(Details.USERNAME, typed != null ? typed : user.getUsername()), user, d, d.reason().name());
        return Optional.of(d);
    }

    /** Records a refusal because SSO applies: the user, the provider and {@code reason} as details, error {@value #SSO_REQUIRED}. */
    static void record(EventBuilder event, UserModel user, SsoDecision d, String reason) {
        event.user(user).detail(Details.IDENTITY_PROVIDER, d.identityProvider()).detail(Details.REASON, reason).error(SSO_REQUIRED);
    }

    /** The 403 page of a password reset refused because SSO applies (shown to whoever holds the link, who knows the account). */
    static Response resetRefused(LoginFormsProvider form) {
        return form.setError(SsoResetCredentialsGate.MSG_RESET_SSO).createErrorPage(Response.Status.FORBIDDEN);
    }
}
