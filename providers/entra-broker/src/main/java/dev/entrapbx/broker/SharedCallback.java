package dev.entrapbx.broker;

import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.SharedRedirect;
import dev.entrapbx.kc.RealmResourceFactory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.urls.UrlType;

/**
 * The realm's one redirect URI for Microsoft Entra ID, {@code /realms/<realm>/entra-id/callback}:
 * identity providers with "Shared redirect URI" on send Microsoft here, with the provider's alias in
 * front of Keycloak's state ({@code <alias, base64url>~<state>}), and this resource passes the answer
 * unchanged to that provider's own broker endpoint. A partner's multi-tenant app serving hundreds of
 * customers, one identity provider each, then needs one redirect URI registered, not one per
 * customer (Entra allows at most 256). Nothing is trusted from the alias: the provider's endpoint
 * still checks the state against the browser's sign-in, the code is redeemed with the provider's own
 * credentials and the token's tenant against its allow-list.
 */
public class SharedCallback implements RealmResourceFactory {

    public static final String ID = SharedRedirect.RESOURCE;
    private static final Logger LOG = Logger.getLogger(SharedCallback.class);
    private static final char SEPARATOR = '~';

    /** The shared redirect URI of {@code realm}, on the frontend URL (what Microsoft sends the browser to). */
    public static String uri(KeycloakSession session, RealmModel realm) {
        return SharedRedirect.uri(session.getContext().getUri(UrlType.FRONTEND).getBaseUri(), realm.getName());
    }

    /** The state sent to Microsoft: the alias, then Keycloak's own state. */
    static String state(String alias, String keycloakState) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(alias.getBytes(StandardCharsets.UTF_8)) + SEPARATOR + keycloakState;
    }

    /** The alias and Keycloak's state of a state built by {@link #state}, or empty. */
    static Optional<String[]> split(String state) {
        int at = state == null ? -1 : state.indexOf(SEPARATOR);
        if (at <= 0) {
            return Optional.empty();
        }
        try {
            String alias = new String(Base64.getUrlDecoder().decode(state.substring(0, at)), StandardCharsets.UTF_8);
            return Optional.of(new String[] {alias, state.substring(at + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Object resource(KeycloakSession session) {
        return new Resource(session);
    }

    /** GET callback: Microsoft's answer (code or error, with the state). */
    public static class Resource {
        private final KeycloakSession session;

        Resource(KeycloakSession session) {
            this.session = session;
        }

        @GET
        @Path("callback")
        public Response callback() {
            RealmModel realm = session.getContext().getRealm();
            MultivaluedMap<String, String> query = session.getContext().getUri().getQueryParameters();
            Optional<String[]> parts = split(query.getFirst(OAuth2Constants.STATE));
            IdentityProviderModel idp = parts.map(p -> session.identityProviders().getByAlias(p[0])).orElse(null);
            if (idp == null || !EntraIdpKeys.PROVIDER_ID.equals(idp.getProviderId()) || !SharedRedirect.isOn(idp.getConfig())) {
                LOG.debugf("Shared Entra callback of realm %s: no identity provider with a shared redirect URI in the state", realm.getName());
                return session.getProvider(LoginFormsProvider.class).setError("invalidRequestMessage")
                        .createErrorPage(Response.Status.BAD_REQUEST);
            }
            UriBuilder target = UriBuilder.fromUri(Urls.identityProviderAuthnResponse(session.getContext().getUri(UrlType.FRONTEND).getBaseUri(),
                    idp.getAlias(), realm.getName()));
            query.keySet().stream().filter(name -> !OAuth2Constants.STATE.equals(name) && name.matches("[A-Za-z0-9_.-]+"))
                    .forEach(name -> target.queryParam(name, "{" + name + "}"));
            target.queryParam(OAuth2Constants.STATE, "{state}");
            java.util.Map<String, Object> values = new java.util.HashMap<>();
            query.forEach((name, v) -> values.put(name, v.isEmpty() ? "" : v.get(0)));
            values.put(OAuth2Constants.STATE, parts.get()[1]);
            return Response.status(Response.Status.SEE_OTHER).location(target.buildFromMap(values)).build();
        }
    }
}
