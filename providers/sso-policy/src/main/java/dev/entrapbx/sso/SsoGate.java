package dev.entrapbx.sso;

import java.util.Optional;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Details;
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
        context.getEvent().user(user).detail(Details.USERNAME, typed != null ? typed : user.getUsername())
                .detail(Details.IDENTITY_PROVIDER, d.identityProvider()).detail(Details.REASON, d.reason().name())
                .error(SSO_REQUIRED);
        return Optional.of(d);
    }
}
