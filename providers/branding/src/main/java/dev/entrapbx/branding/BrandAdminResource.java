package dev.entrapbx.branding;

import dev.entrapbx.kc.AdminError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code GET /admin/realms/{realm}/brand} (view-realm): the brand.* attributes as stored, the
 * values in effect and the refused ones. {@code PUT} (manage-realm) with a JSON object of brand.*
 * keys: all are validated first; any refused value answers 400 with the problems and nothing is
 * saved; otherwise the attributes are written (an empty or null value removes the key). Setting
 * the realm attributes directly also works; this endpoint only adds the check at save time.
 */
public class BrandAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public BrandAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @GET
    @Path("")
    @Produces(MediaType.APPLICATION_JSON)
    public BrandRepresentation get() {
        auth.realm().requireViewRealm();
        Map<String, String> stored = new LinkedHashMap<>();
        for (BrandKey k : BrandKey.values()) {
            String v = realm.getAttribute(k.key());
            if (v != null) {
                stored.put(k.key(), v);
            }
        }
        return BrandRepresentation.of(stored, BrandResolver.forRealm(realm, null));
    }

    @PUT
    @Path("")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(Map<String, String> update) {
        auth.realm().requireManageRealm();
        if (update == null) {
            return AdminError.badRequest("invalid_brand", List.of("body: a JSON object of brand.* keys"));
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        update.forEach((k, v) -> {
            if (!isBrandKey(k)) {
                problems.add(k + ": not a brand key");
            } else if (v != null && !v.isBlank()) {
                values.put(k, v);
            }
        });
        problems.addAll(Brand.resolve(values, Map.of(), realm.getName()).getProblems());
        if (!problems.isEmpty()) {
            return AdminError.badRequest("invalid_brand", problems);
        }
        update.forEach((k, v) -> {
            if (v == null || v.isBlank()) {
                realm.removeAttribute(k);
            } else {
                realm.setAttribute(k, v.strip());
            }
        });
        adminEvent.operation(OperationType.UPDATE).resource(ResourceType.REALM)
                .resourcePath(session.getContext().getUri()).representation(values).success();
        return Response.ok(get()).build();
    }

    private static boolean isBrandKey(String key) {
        for (BrandKey k : BrandKey.values()) {
            if (k.key().equals(key)) {
                return true;
            }
        }
        return false;
    }
}
