package dev.entrapbx.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * A small client for Keycloak's admin REST API (master realm admin, admin-cli), used by the run
 * command and the integration tests. Tokens are renewed before they expire. {@link #inRealm} signs
 * in a realm's own admin instead (a user with roles of that realm's {@code realm-management}
 * client), for tests of what such an admin may see.
 */
public final class KeycloakAdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String loginRealm;
    private final String username;
    private final String password;
    /** HTTP/1.1: the JDK client's cleartext HTTP/2 upgrade left long runs (benchmarks) with a connection Keycloak had closed. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private String accessToken;
    private Instant renewAt = Instant.EPOCH;

    public KeycloakAdminClient(String baseUrl, String username, String password) {
        this(baseUrl, "master", username, password);
    }

    private KeycloakAdminClient(String baseUrl, String loginRealm, String username, String password) {
        this.baseUrl = baseUrl;
        this.loginRealm = loginRealm;
        this.username = username;
        this.password = password;
    }

    /** An admin of {@code realm} itself, signed in through that realm's {@code admin-cli}. */
    public static KeycloakAdminClient inRealm(String baseUrl, String realm, String username, String password) {
        return new KeycloakAdminClient(baseUrl, realm, username, password);
    }

    /** A response: status and body, with the body parsed on demand. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
            }
        }

        public Response expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("Expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    /** GET {@code /admin/realms/...}-relative path, expecting 200, as JSON. */
    public JsonNode get(String adminPath) {
        return send("GET", adminPath, null).expect(200).json();
    }

    /** {@code GET /admin/serverinfo}: providers, their operational info, themes, ... */
    public JsonNode serverInfo() {
        return request("GET", "/admin/serverinfo", null).expect(200).json();
    }

    /** A request to {@code /admin/realms<adminPath>}. */
    public Response send(String method, String adminPath, Object body) {
        return request(method, "/admin/realms" + adminPath, body, Duration.ofSeconds(60));
    }

    /** A long request (a sync of many users) to {@code /admin/realms<adminPath>}. */
    public Response send(String method, String adminPath, Object body, Duration timeout) {
        return request(method, "/admin/realms" + adminPath, body, timeout);
    }

    private Response request(String method, String path, Object body) {
        return request(method, path, body, Duration.ofSeconds(60));
    }

    private Response request(String method, String path, Object body, Duration timeout) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token())
                    .header("Accept", "application/json");
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String json = body instanceof String s ? s : JSON.writeValueAsString(body);
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized String token() throws IOException, InterruptedException {
        if (accessToken != null && Instant.now().isBefore(renewAt)) {
            return accessToken;
        }
        String form = "grant_type=password&client_id=admin-cli&username=" + enc(username) + "&password=" + enc(password);
        HttpResponse<String> r;
        try {
            r = tokenRequest(form);
        } catch (IOException closedConnection) {
            r = tokenRequest(form); // a kept-alive connection the server had just closed: a new one (signing in again is harmless)
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Admin login failed (" + r.statusCode() + "): " + r.body());
        }
        JsonNode t = JSON.readTree(r.body());
        accessToken = t.path("access_token").asText();
        renewAt = Instant.now().plusSeconds(Math.max(5, t.path("expires_in").asLong(60) - 15));
        return accessToken;
    }

    private HttpResponse<String> tokenRequest(String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + loginRealm + "/protocol/openid-connect/token"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
