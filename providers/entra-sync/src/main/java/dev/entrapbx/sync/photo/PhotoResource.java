package dev.entrapbx.sync.photo;

import dev.entrapbx.sync.jpa.UserPhotoEntity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Set;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.AdminRoles;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * {@code /realms/{realm}/entra-photos/{userId}}: a synced user's Entra profile photo, for the UC
 * and WebRTC clients (the {@code picture} claim points here) and the PBX backend.
 *
 * <p>Needs a bearer access token of the realm. Allowed: the user's own photo; a colleague's (the
 * requester and the user share an organization, i.e. a phone system); any photo for a holder of
 * realm-management {@code view-users} (the PBX backend's service account). Anything else, and a
 * user without a photo, is 404, so the endpoint does not tell who exists. The answer carries the
 * photo's ETag and honours {@code If-None-Match} with 304; browsers get CORS headers for the
 * token's allowed web origins.
 *
 * <p>Only {@link #SERVED_TYPES} are served, with {@code X-Content-Type-Options: nosniff}: the sync
 * stores no other type, and a stored row of another type (say, an SVG from a tenant, written
 * before that rule) is treated as no photo.
 */
public class PhotoResource {

    /** The content types a photo is stored and served with: raster images, which a browser shows without running anything. */
    public static final Set<String> SERVED_TYPES = Set.of("image/jpeg", "image/png", "image/gif");

    private final KeycloakSession session;

    public PhotoResource(KeycloakSession session) {
        this.session = session;
    }

    @OPTIONS
    @Path("{userId}")
    public Response preflight() {
        return Cors.builder().auth().allowedMethods("GET", "OPTIONS").preflight().add(Response.ok());
    }

    @GET
    @Path("{userId}")
    public Response photo(@PathParam("userId") String userId, @Context Request request) {
        RealmModel realm = session.getContext().getRealm();
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        if (auth == null) {
            return Cors.builder().auth().allowedMethods("GET", "OPTIONS").add(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm.getName() + "\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity("{\"error\":\"invalid_token\",\"error_description\":\"A bearer access token of realm '" + realm.getName()
                            + "' is required.\"}"));
        }
        Cors cors = Cors.builder().auth().allowedMethods("GET", "OPTIONS").exposedHeaders(HttpHeaders.ETAG)
                .checkAllowedOrigins(auth.token());
        UserPhotoEntity photo = session.getProvider(JpaConnectionProvider.class).getEntityManager().find(UserPhotoEntity.class, userId);
        String type = photo == null ? null : servedType(photo.getContentType());
        if (photo == null || type == null || !realm.getId().equals(photo.getRealmId()) || !allowed(realm, auth.user(), userId)) {
            return cors.add(Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity("{\"error\":\"not_found\",\"error_description\":\"No photo for this user.\"}"));
        }
        EntityTag etag = new EntityTag(tag(photo.getEtag()));
        CacheControl cache = new CacheControl();
        cache.setPrivate(true);
        cache.setNoCache(true); // revalidate with If-None-Match: a changed photo shows at once
        Response.ResponseBuilder notModified = request.evaluatePreconditions(etag); // If-None-Match: 304
        if (notModified != null) {
            return cors.add(notModified.tag(etag).cacheControl(cache));
        }
        return cors.add(Response.ok(photo.getPhoto(), type).header("X-Content-Type-Options", "nosniff").tag(etag).cacheControl(cache));
    }

    /** The type a photo of this content type is served with ("image/png" for "image/PNG; q=1"), or null when it is not served. */
    public static String servedType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return SERVED_TYPES.contains(type) ? type : null;
    }

    /** Graph's media ETag as our entity tag value: its own quotes and weak marker removed. */
    static String tag(String graphEtag) {
        String t = graphEtag.trim();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return t.replace("\"", "");
    }

    private boolean allowed(RealmModel realm, UserModel requester, String userId) {
        if (requester == null) {
            return false;
        }
        if (requester.getId().equals(userId)) {
            return true;
        }
        ClientModel realmManagement = realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID);
        RoleModel viewUsers = realmManagement == null ? null : realmManagement.getRole(AdminRoles.VIEW_USERS);
        if (viewUsers != null && requester.hasRole(viewUsers)) {
            return true;
        }
        UserModel target = session.users().getUserById(realm, userId);
        if (target == null) {
            return false;
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        return realm.isOrganizationsEnabled() && orgs != null && orgs.getByMember(requester).anyMatch(org -> orgs.isMember(org, target));
    }
}
