package dev.entrapbx.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A throw-away realm (integration tests, benchmarks), created through the admin REST API. */
public final class TestRealm {

    public static final String CLIENT_ID = "pbx-app";
    public static final String CLIENT_REDIRECT = "http://127.0.0.1:1/callback";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final KeycloakAdminClient admin;
    private final String name;

    private TestRealm(KeycloakAdminClient admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    /** (Re)creates realm {@code name} with events on and a public client {@value #CLIENT_ID}. */
    public static TestRealm create(KeycloakAdminClient admin, String name) {
        admin.send("DELETE", "/" + name, null);
        admin.send("POST", "", Map.of(
                "realm", name,
                "enabled", true,
                "organizationsEnabled", true,
                "eventsEnabled", true,
                "adminEventsEnabled", true,
                "adminEventsDetailsEnabled", true,
                "clients", List.of(Map.of(
                        "clientId", CLIENT_ID,
                        "publicClient", true,
                        "standardFlowEnabled", true,
                        "directAccessGrantsEnabled", true,
                        "redirectUris", List.of(CLIENT_REDIRECT))))).expect(201);
        return new TestRealm(admin, name);
    }

    /** A realm that exists already (imported from realm-exports/, e.g. the demo), never recreated. */
    public static TestRealm existing(KeycloakAdminClient admin, String name) {
        return new TestRealm(admin, name);
    }

    /**
     * The client's authorization request that sends the browser straight to identity provider
     * {@code idpAlias} ({@code kc_idp_hint}), optionally with a {@code login_hint}.
     */
    public URI authorizationRequest(String keycloakBaseUrl, String idpAlias, String loginHint) {
        return URI.create(keycloakBaseUrl + "/realms/" + name + "/protocol/openid-connect/auth"
                + "?client_id=" + CLIENT_ID + "&response_type=code&scope=openid"
                + "&redirect_uri=" + Browserless.enc(CLIENT_REDIRECT)
                + "&kc_idp_hint=" + Browserless.enc(idpAlias)
                + (loginHint == null ? "" : "&login_hint=" + Browserless.enc(loginHint)));
    }

    /** POSTs {@code form} (URL-encoded) to this realm's token endpoint; the answer as it came. */
    public HttpResponse<String> tokenRequest(String keycloakBaseUrl, String form) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(keycloakBaseUrl + "/realms/" + name + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    public KeycloakAdminClient admin() {
        return admin;
    }

    /** An identity provider of type entra-id. */
    public KeycloakAdminClient.Response createIdp(String alias, Map<String, String> config) {
        return createIdp(alias, "entra-id", config);
    }

    public KeycloakAdminClient.Response createIdp(String alias, String providerId, Map<String, String> config) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("alias", alias);
        rep.put("providerId", providerId);
        rep.put("enabled", true);
        rep.put("config", config);
        return admin.send("POST", "/" + name + "/identity-provider/instances", rep);
    }

    /**
     * Creates an enabled Organization with one domain and optional attributes (e.g. {@code brand.*});
     * returns its id.
     */
    public String createOrganization(String displayName, String alias, String domain, Map<String, List<String>> attributes) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", displayName);
        rep.put("alias", alias);
        rep.put("enabled", true);
        rep.put("domains", List.of(Map.of("name", domain)));
        if (!attributes.isEmpty()) {
            rep.put("attributes", attributes);
        }
        admin.send("POST", "/" + name + "/organizations", rep).expect(201);
        return admin.get("/" + name + "/organizations?exact=true&search=" + Browserless.enc(displayName)).get(0).path("id").asText();
    }

    /** Links identity provider {@code idpAlias} to the Organization (Organizations API). */
    public void linkOrganizationIdp(String organizationId, String idpAlias) {
        admin.send("POST", "/" + name + "/organizations/" + organizationId + "/identity-providers", idpAlias).expect(204);
    }

    public void addOrganizationMember(String organizationId, String userId) {
        admin.send("POST", "/" + name + "/organizations/" + organizationId + "/members", userId).expect(201);
    }

    public String createUser(String username, String email, boolean emailVerified, String password) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("username", username);
        rep.put("email", email);
        rep.put("emailVerified", emailVerified);
        rep.put("firstName", "Local");
        rep.put("lastName", "User");
        rep.put("enabled", true);
        rep.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        admin.send("POST", "/" + name + "/users", rep).expect(201);
        return user(username).path("id").asText();
    }

    /** The user with exactly this username, or a missing node. */
    public JsonNode user(String username) {
        for (JsonNode u : admin.get("/" + name + "/users?exact=true&username=" + Browserless.enc(username))) {
            return u;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    public List<JsonNode> federatedIdentities(String userId) {
        List<JsonNode> links = new ArrayList<>();
        admin.get("/" + name + "/users/" + userId + "/federated-identity").forEach(links::add);
        return links;
    }

    /** The realm's newest admin events (up to 500), newest first. */
    public List<JsonNode> adminEvents() {
        List<JsonNode> events = new ArrayList<>();
        admin.get("/" + name + "/admin-events?max=500").forEach(events::add);
        return events;
    }

    public List<JsonNode> events(String type) {
        List<JsonNode> events = new ArrayList<>();
        admin.get("/" + name + "/events?type=" + type + "&max=100").forEach(events::add);
        return events;
    }
}
