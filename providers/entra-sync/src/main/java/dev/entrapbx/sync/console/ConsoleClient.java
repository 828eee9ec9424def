package dev.entrapbx.sync.console;

import java.util.Set;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

/**
 * The public OIDC client the customers page signs admins in with: authorization code with PKCE
 * (S256) only, redirects to the page alone, full scope (the admin's realm-management roles reach
 * the token, as in Keycloak's own {@code security-admin-console}). What the admin may see and do
 * is decided by those roles at every admin REST call, not by the client.
 */
public final class ConsoleClient {

    public static final String CLIENT_ID = "entra-pbx-console";

    private ConsoleClient() {
    }

    /** The page's path under the server's base URL. */
    public static String pagePath(RealmModel realm) {
        return "/realms/" + realm.getName() + "/" + ConsoleResourceFactory.PROVIDER_ID + "/";
    }

    /** Creates the client in {@code realm} when it is missing; an existing one is left as the admin set it. */
    static boolean ensure(KeycloakSession session, RealmModel realm) {
        if (session.clients().getClientByClientId(realm, CLIENT_ID) != null) {
            return false;
        }
        ClientModel c = session.clients().addClient(realm, CLIENT_ID);
        c.setName("entra-pbx: Microsoft 365 customers");
        c.setDescription("Sign-in of the Microsoft 365 customers page (" + pagePath(realm) + "): each customer's Entra connection and sync.");
        c.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        c.setEnabled(true);
        c.setPublicClient(true);
        c.setStandardFlowEnabled(true);
        c.setImplicitFlowEnabled(false);
        c.setDirectAccessGrantsEnabled(false);
        c.setServiceAccountsEnabled(false);
        c.setFullScopeAllowed(true);
        c.setRootUrl("${authBaseUrl}");
        c.setBaseUrl(pagePath(realm));
        c.setRedirectUris(Set.of(pagePath(realm) + "*"));
        c.setWebOrigins(Set.of("+"));
        c.setAttribute("pkce.code.challenge.method", "S256");
        c.setAttribute("post.logout.redirect.uris", "+");
        return true;
    }
}
