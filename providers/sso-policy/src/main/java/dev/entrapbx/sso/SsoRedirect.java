package dev.entrapbx.sso;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.ClientSessionCode;

/** Sends the browser to an identity provider's login, carrying the address typed as {@code login_hint}. */
final class SsoRedirect {

    private SsoRedirect() {
    }

    static void toIdentityProvider(AuthenticationFlowContext context, String idpAlias, String loginHint) {
        var authSession = context.getAuthenticationSession();
        String code = new ClientSessionCode<>(context.getSession(), context.getRealm(), authSession).getOrGenerateCode();
        URI location = Urls.identityProviderAuthnRequest(context.getUriInfo().getBaseUri(), idpAlias, context.getRealm().getName(),
                code, authSession.getClient().getClientId(), authSession.getTabId(),
                AuthenticationProcessor.getClientData(context.getSession(), authSession), loginHint);
        context.forceChallenge(Response.seeOther(location).build());
    }
}
