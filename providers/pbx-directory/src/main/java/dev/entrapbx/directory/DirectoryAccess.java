package dev.entrapbx.directory;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Who may read the directory: the service account of a confidential client holding the client role
 * {@value #ROLE} of the client {@value #ROLE_CLIENT} (directly or through a group or composite).
 * A client with the attribute {@value #ORGANIZATION_ATTRIBUTE} (an Organization alias or id) sees
 * only that phone system.
 *
 * <p>Answers: no token, an invalid or expired one, or another realm's: 401. A valid token without
 * the role, not a service account's, or asking for a phone system it is restricted from: 403, the
 * same for a phone system that exists and one that does not, so a restricted client learns nothing
 * about other customers.
 */
public final class DirectoryAccess {

    /** The client holding the directory's roles (created with the realm; the partner template has it too). */
    public static final String ROLE_CLIENT = "pbx-directory";
    public static final String ROLE = "read";
    /** Client attribute restricting a client's token to one phone system. */
    public static final String ORGANIZATION_ATTRIBUTE = "pbx.directory.organization";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ClientModel client;
    /** The Organization the client is restricted to; null: all of the realm's. */
    private final String restrictedTo;

    /** The user of a user's own token; null for the directory role. */
    private final UserModel user;

    private DirectoryAccess(KeycloakSession session, RealmModel realm, ClientModel client, String restrictedTo, UserModel user) {
        this.session = session;
        this.realm = realm;
        this.client = client;
        this.restrictedTo = restrictedTo;
        this.user = user;
    }

    /** The user whose own token this is; null for the directory role (which sees every member). */
    public UserModel user() {
        return user;
    }

    /** Checks the request's bearer token for the directory role; throws the 401 or 403 answer. */
    public static DirectoryAccess check(KeycloakSession session) {
        return check(session, false);
    }

    /**
     * Checks the request's bearer token: the directory role, or ({@code users}) a user's own access
     * token, which sees the phone systems the user is a member of and, of personal data, only the
     * user's own (the web client reading its user's phone book).
     */
    public static DirectoryAccess check(KeycloakSession session, boolean users) {
        RealmModel realm = session.getContext().getRealm();
        AuthenticationManager.AuthResult auth;
        try {
            auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        } catch (RuntimeException e) { // no or malformed Authorization header
            auth = null;
        }
        if (auth == null) {
            throw error(Response.Status.UNAUTHORIZED, "invalid_token", "A valid bearer token of this realm is required.", realm);
        }
        UserModel user = auth.user();
        ClientModel client = auth.client();
        if (users && user != null && client != null && user.getServiceAccountClientLink() == null) {
            return new DirectoryAccess(session, realm, client, null, user);
        }
        if (user == null || client == null || user.getServiceAccountClientLink() == null || !user.getServiceAccountClientLink().equals(client.getId())) {
            throw forbidden("The PBX directory is read with a client's service account (client credentials grant)"
                    + (users ? " or, for a user's own phone book, with that user's access token." : "."));
        }
        ClientModel roles = realm.getClientByClientId(ROLE_CLIENT);
        RoleModel read = roles == null ? null : roles.getRole(ROLE);
        if (read == null || !user.hasRole(read)) {
            throw forbidden("The client's service account needs the client role '" + ROLE_CLIENT + "' / '" + ROLE + "'.");
        }
        String restriction = client.getAttribute(ORGANIZATION_ATTRIBUTE);
        String restrictedTo = null;
        if (restriction != null && !restriction.isBlank()) {
            OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
            OrganizationModel org = Optional.ofNullable(orgs.getByAlias(restriction.trim())).orElseGet(() -> orgs.getById(restriction.trim()));
            // a restriction naming no Organization restricts to nothing
            restrictedTo = org == null ? "" : org.getId();
        }
        return new DirectoryAccess(session, realm, client, restrictedTo, null);
    }

    /** Whether this token may see the phone system. */
    public boolean sees(OrganizationModel org) {
        if (user != null) {
            return org.isMember(user);
        }
        return restrictedTo == null || restrictedTo.equals(org.getId());
    }

    /** The phone system named by {@code ref} (alias or id), or the answer for one this token may not read. */
    public OrganizationModel phoneSystem(String ref) {
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        OrganizationModel org = ref == null ? null : Optional.ofNullable(orgs.getByAlias(ref)).orElseGet(() -> orgs.getById(ref));
        if (restrictedTo != null && (org == null || !restrictedTo.equals(org.getId()))) {
            throw forbidden("This client may read only its own phone system.");
        }
        if (user != null && (org == null || !org.isMember(user))) {
            throw forbidden("A user's token reads only the phone system the user belongs to.");
        }
        if (org == null) {
            throw error(Response.Status.NOT_FOUND, "not_found", "No phone system '" + ref + "' in this realm.", realm);
        }
        return org;
    }

    public ClientModel client() {
        return client;
    }

    private static WebApplicationException forbidden(String description) {
        return error(Response.Status.FORBIDDEN, "insufficient_scope", description, null);
    }

    static WebApplicationException error(Response.Status status, String error, String description, RealmModel realm) {
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "error_description", description));
        if (status == Response.Status.UNAUTHORIZED) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + (realm == null ? "" : realm.getName()) + "\", error=\"invalid_token\"");
        }
        return new WebApplicationException(r.build());
    }
}
