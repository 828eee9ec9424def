package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.User;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One customer for sync tests: an Entra tenant in the simulator with an app registration, and in
 * a Keycloak realm an Organization linked to that tenant's {@code entra-id} identity provider;
 * sync components are added per test with {@link #createSync}.
 */
final class SyncFixture {

    static final String PASSWORD = "Passw0rd!-sync";
    static final String USER_STORAGE = "org.keycloak.storage.UserStorageProvider";

    final EntraPbxStack stack;
    final KeycloakAdminClient admin;
    final Directory dir;
    final TestRealm realm;
    final String tenantId;
    final String domain;
    final String appId;
    final String secret = "sync-secret-" + UUID.randomUUID();
    final String orgId;
    final String orgAlias;
    final String idpAlias;

    SyncFixture(EntraPbxStack stack, TestRealm realm, String name, List<String> permissions) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.dir = stack.simulator().directory();
        this.realm = realm;
        this.domain = name + ".example";
        this.tenantId = dir.createTenant(null, name, domain).id();
        this.idpAlias = name + "-entra";
        this.orgAlias = name;
        this.appId = dir.createApp(tenantId, AppRegistration.builder().displayName("PBX sync " + name)
                .permissions(permissions.toArray(String[]::new))
                .redirectUri(stack.keycloak().baseUrl() + "/realms/" + realm.name() + "/broker/" + idpAlias + "/endpoint")
                .secret(secret, Instant.now().plus(365, ChronoUnit.DAYS))).appId();
        Map<String, String> idp = new LinkedHashMap<>();
        idp.put("clientId", appId);
        idp.put("clientSecret", secret);
        idp.put("entraTenant", tenantId);
        idp.put("entraAuthorityHostOverride", stack.simulator().baseUrl());
        assertThat(realm.createIdp(idpAlias, idp).status()).isEqualTo(201);
        admin.send("POST", "/" + realm.name() + "/organizations", Map.of("name", name, "alias", name,
                "domains", List.of(Map.of("name", domain)))).expect(201);
        this.orgId = admin.get("/" + realm.name() + "/organizations?search=" + name + "&exact=true").get(0).path("id").asText();
        admin.send("POST", "/" + realm.name() + "/organizations/" + orgId + "/identity-providers", idpAlias).expect(204);
    }

    static List<String> allPermissions() {
        return List.of("User.Read.All", "GroupMember.Read.All", "Domain.Read.All");
    }

    User createUser(String localPart, Map<String, Object> extra) {
        User.Builder b = User.builder().userPrincipalName(localPart + "@" + domain).mail(localPart + "@" + domain)
                .givenName(cap(localPart)).surname("Tester").displayName(cap(localPart) + " Tester").password(PASSWORD)
                .emailVerified(true);
        User u = dir.createUser(tenantId, b);
        if (!extra.isEmpty()) {
            u = dir.patchUser(tenantId, u.id(), extra);
        }
        return u;
    }

    /** Users the sync imports by default: enabled members (the generator disables about 2%). */
    int enabledUsers(String tenant) {
        return (int) dir.users(tenant).stream().filter(u -> u.accountEnabled() && !"Guest".equals(u.userType())).count();
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Creates an entra-users component for this organization; returns its id. */
    String createSync(String name, Map<String, String> config) {
        KeycloakAdminClient.Response r = tryCreateSync(name, config);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        for (JsonNode c : admin.get("/" + realm.name() + "/components?type=" + USER_STORAGE + "&name=" + Browserless.enc(name))) {
            return c.path("id").asText();
        }
        throw new IllegalStateException("component " + name + " not found after creation");
    }

    KeycloakAdminClient.Response tryCreateSync(String name, Map<String, String> config) {
        Map<String, List<String>> cfg = new LinkedHashMap<>();
        cfg.put("organization", List.of(orgAlias));
        config.forEach((k, v) -> cfg.put(k, List.of(v.split("##"))));
        cfg.values().removeIf(List::isEmpty);
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", name);
        rep.put("providerId", "entra-users");
        rep.put("providerType", USER_STORAGE);
        rep.put("parentId", admin.get("/" + realm.name()).path("id").asText());
        rep.put("config", cfg);
        return admin.send("POST", "/" + realm.name() + "/components", rep);
    }

    /** Runs "Synchronize all users" (full) or "Synchronize changed users" and returns Keycloak's result. */
    JsonNode sync(String componentId, boolean full) {
        return admin.send("POST", "/" + realm.name() + "/user-storage/" + componentId + "/sync?action="
                + (full ? "triggerFullSync" : "triggerChangedUsersSync"), null).expect(200).json();
    }

    /** The newest run in the run log. */
    JsonNode lastRun(String componentId) {
        JsonNode runs = admin.get("/" + realm.name() + "/entra-sync/" + componentId + "/runs?max=1").path("runs");
        assertThat(runs.size()).as("runs").isEqualTo(1);
        String id = runs.get(0).path("id").asText();
        return admin.get("/" + realm.name() + "/entra-sync/" + componentId + "/runs/" + id + "?max=1000");
    }

    /** Users of this organization, by username, with attributes. */
    Map<String, JsonNode> members() {
        Map<String, JsonNode> out = new HashMap<>();
        for (int first = 0; ; first += 500) {
            JsonNode page = admin.get("/" + realm.name() + "/organizations/" + orgId + "/members?first=" + first
                    + "&max=500&briefRepresentation=false");
            page.forEach(m -> out.put(m.path("username").asText(), m));
            if (page.size() < 500) {
                return out;
            }
        }
    }

    /** Every user of the realm linked to one of these Entra object ids... by username. */
    JsonNode user(String username) {
        return realm.user(username);
    }

    static String attr(JsonNode user, String name) {
        JsonNode v = user.path("attributes").path(name);
        return v.isArray() && !v.isEmpty() ? v.get(0).asText() : null;
    }

    static List<String> extensions(Map<String, JsonNode> members) {
        List<String> out = new ArrayList<>();
        members.values().forEach(u -> {
            String e = attr(u, "extension");
            if (e != null) {
                out.add(e);
            }
        });
        return out;
    }
}
