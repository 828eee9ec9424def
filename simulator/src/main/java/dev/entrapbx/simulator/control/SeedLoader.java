package dev.entrapbx.simulator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.directory.DirectoryException;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.ClientSecret;
import dev.entrapbx.simulator.model.Domain;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.SignInAudience;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Loads a seed document (the format of {@code POST /_sim/seed} and {@code --seed}) into a directory.
 * Groups are created before memberships, so members may name groups defined later in the file.
 */
public final class SeedLoader {
    /** What a seed created. */
    public record Summary(List<Tenant> tenants, List<AppRegistration> apps, int users, int groups, int generated) { }

    private final Directory directory;

    public SeedLoader(Directory directory) {
        this.directory = directory;
    }

    public Summary load(JsonNode seed) {
        if (seed == null || !seed.isObject() || !seed.path("tenants").isArray()) {
            throw DirectoryException.invalid("A seed is a JSON object with a \"tenants\" array");
        }
        List<Tenant> tenants = new ArrayList<>();
        List<AppRegistration> apps = new ArrayList<>();
        int users = 0;
        int groups = 0;
        int generated = 0;
        for (JsonNode t : seed.get("tenants")) {
            Tenant tenant = tenant(t);
            tenants.add(tenant);
            for (JsonNode a : t.path("apps")) {
                apps.add(directory.createApp(tenant.id(), app(a)));
            }
            for (JsonNode u : t.path("users")) {
                createUser(tenant.id(), u);
                users++;
            }
            List<JsonNode> groupNodes = new ArrayList<>();
            t.path("groups").forEach(groupNodes::add);
            for (JsonNode g : groupNodes) {
                directory.createGroup(tenant.id(), group(g));
                groups++;
            }
            for (JsonNode g : groupNodes) {
                String groupName = Json.textOrNull(g, "displayName");
                Group group = directory.findGroup(tenant.id(), Json.textOrNull(g, "id") != null
                        ? Json.textOrNull(g, "id") : groupName).orElseThrow();
                for (JsonNode m : g.path("members")) {
                    directory.addMember(tenant.id(), group.id(), resolveMember(tenant.id(), m.asText()));
                }
            }
            JsonNode gen = t.get("generate");
            if (gen != null && !gen.isNull()) {
                generated += directory.generateUsers(tenant.id(), gen.path("count").asInt(0),
                        Json.textOrNull(gen, "domain"), Json.textOrNull(gen, "prefix")).created();
            }
        }
        return new Summary(tenants, apps, users, groups, generated);
    }

    Tenant tenant(JsonNode t) {
        List<Domain> domains = new ArrayList<>();
        for (JsonNode d : t.path("domains")) {
            if (d.isTextual()) {
                domains.add(Domain.verified(d.asText()));
            } else {
                domains.add(new Domain(Json.textOrNull(d, "name"), d.path("isDefault").asBoolean(false), false,
                        d.path("isVerified").asBoolean(true)));
            }
        }
        String initial = Json.textOrNull(t, "initialDomain");
        if (initial != null && initial.endsWith(".onmicrosoft.com")) {
            initial = initial.substring(0, initial.length() - ".onmicrosoft.com".length());
        }
        return directory.createTenant(Json.textOrNull(t, "id"), Json.textOrNull(t, "displayName"), initial, domains);
    }

    static AppRegistration.Builder app(JsonNode a) {
        AppRegistration.Builder b = AppRegistration.builder()
                .appId(Json.textOrNull(a, "appId"))
                .displayName(Json.textOrNull(a, "displayName"))
                .signInAudience(SignInAudience.parse(Json.textOrNull(a, "signInAudience")))
                .publicClient(a.path("publicClient").asBoolean(false));
        a.path("redirectUris").forEach(u -> b.redirectUri(u.asText()));
        a.path("permissions").forEach(p -> b.permission(p.asText()));
        a.path("secrets").forEach(s -> b.secret(secret(s)));
        a.path("certificates").forEach(c -> b.certificatePem(c.isTextual() ? c.asText() : Json.textOrNull(c, "pem")));
        return b;
    }

    static ClientSecret secret(JsonNode s) {
        String end = Json.textOrNull(s, "endDateTime");
        if (end == null) {
            throw DirectoryException.invalid("A client secret needs an endDateTime");
        }
        return new ClientSecret(Json.textOrNull(s, "keyId"), Json.textOrNull(s, "displayName"),
                Json.textOrNull(s, "value"), null, instant(end));
    }

    void createUser(String tenantId, JsonNode u) {
        JsonNode photo = u.get("photo");
        JsonNode props = u.deepCopy();
        ((ObjectNode) props).remove("photo");
        if (Json.textOrNull(props, "id") == null && Json.textOrNull(props, "userPrincipalName") != null) {
            // a seeded user keeps its object id across simulator restarts (a name-based GUID), so a
            // Keycloak that synced it before still recognises it
            ((ObjectNode) props).put("id", java.util.UUID.nameUUIDFromBytes((tenantId + "|"
                    + Json.textOrNull(props, "userPrincipalName").toLowerCase(java.util.Locale.ROOT))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        }
        User user = directory.createUser(tenantId, User.builder().apply(props));
        if (photo != null && !photo.isNull()) {
            directory.setPhoto(tenantId, user.id(), Base64.getDecoder().decode(Json.textOrNull(photo, "base64")),
                    Json.textOrNull(photo, "contentType"));
        }
    }

    static Group.Builder group(JsonNode g) {
        ObjectNode props = g.deepCopy();
        props.remove("members");
        return Group.builder().apply(props);
    }

    private String resolveMember(String tenantId, String key) {
        if (directory.user(tenantId, key).isPresent()) {
            return key;
        }
        return directory.findGroup(tenantId, key).map(Group::id).orElseThrow(() ->
                DirectoryException.notFound("Seed member '" + key + "' is neither a user nor a group of the tenant"));
    }

    /** ISO instant ("2027-12-31T00:00:00Z") or date ("2027-12-31", end of that day UTC). */
    static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atTime(23, 59, 59).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw DirectoryException.invalid("Invalid date '" + text + "' (use 2027-12-31 or 2027-12-31T00:00:00Z)");
            }
        }
    }
}
