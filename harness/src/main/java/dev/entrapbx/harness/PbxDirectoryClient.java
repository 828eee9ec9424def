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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PBX backend reading {@code /realms/{realm}/pbx}: a confidential client with a service account
 * (client credentials), created in the realm by {@link #create}, optionally holding the directory
 * role and restricted to one phone system.
 */
public final class PbxDirectoryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String realm;
    private final String clientId;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PbxDirectoryClient(String baseUrl, String realm, String clientId, String secret) {
        this.baseUrl = baseUrl;
        this.realm = realm;
        this.clientId = clientId;
        this.secret = secret;
    }

    /**
     * Creates the client {@code clientId} in {@code realm}: confidential, service account on.
     *
     * @param withRole       give its service account {@code pbx-directory} / {@code read}
     * @param restrictedTo   client attribute {@code pbx.directory.organization} (an Organization alias), or null
     */
    public static PbxDirectoryClient create(KeycloakAdminClient admin, String baseUrl, String realm, String clientId, boolean withRole,
                                            String restrictedTo) {
        String secret = "secret-" + clientId;
        Map<String, Object> attributes = restrictedTo == null ? Map.of() : Map.of("pbx.directory.organization", restrictedTo);
        admin.send("POST", "/" + realm + "/clients", Map.of("clientId", clientId, "secret", secret, "publicClient", false,
                "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false,
                "attributes", attributes)).expect(201);
        if (withRole) {
            String id = admin.get("/" + realm + "/clients?clientId=" + clientId).get(0).path("id").asText();
            String saUser = admin.get("/" + realm + "/clients/" + id + "/service-account-user").path("id").asText();
            JsonNode roleClient = admin.get("/" + realm + "/clients?clientId=pbx-directory").get(0);
            JsonNode role = admin.get("/" + realm + "/clients/" + roleClient.path("id").asText() + "/roles/read");
            admin.send("POST", "/" + realm + "/users/" + saUser + "/role-mappings/clients/" + roleClient.path("id").asText(), List.of(role))
                    .expect(204);
        }
        return new PbxDirectoryClient(baseUrl, realm, clientId, secret);
    }

    /** A client credentials token of this client. */
    public String token() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret))));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token for " + clientId + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return read(r.body()).path("access_token").asText();
    }

    /** GET {@code /realms/{realm}/pbx/<path>} with this client's token. */
    public KeycloakAdminClient.Response get(String path) {
        return get(path, token());
    }

    /** GET {@code /realms/{realm}/pbx/<path>} with the given bearer token (null: none). */
    public KeycloakAdminClient.Response get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + realm + "/pbx/" + path)).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = send(b.GET());
        return new KeycloakAdminClient.Response(r.statusCode(), r.body());
    }

    /** POST {@code /realms/{realm}/pbx/<path>} with a JSON body and this client's token. */
    public KeycloakAdminClient.Response post(String path, String jsonBody) {
        return post(path, jsonBody, token());
    }

    /** POST {@code /realms/{realm}/pbx/<path>} with a JSON body and the given bearer token (null: none). */
    public KeycloakAdminClient.Response post(String path, String jsonBody, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + realm + "/pbx/" + path))
                .header("Accept", "application/json").header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = send(b.POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
        return new KeycloakAdminClient.Response(r.statusCode(), r.body());
    }

    /** Every entry of the phone system's full read, following {@code next}; the first page's changesCursor is element 0 of {@code cursorOut}. */
    public List<JsonNode> readAll(String org, int limit, List<String> cursorOut) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        String token = token();
        do {
            JsonNode page = get("phone-systems/" + org + "/extensions?limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor)), token)
                    .expect(200).json();
            if (cursorOut != null && cursorOut.isEmpty()) {
                cursorOut.add(page.path("changesCursor").asText());
            }
            page.path("items").forEach(out::add);
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
        } while (cursor != null);
        return out;
    }

    /** The changes after {@code after}, all pages. */
    public List<JsonNode> changesAfter(String org, String after, int limit, List<String> cursorOut) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = after;
        String token = token();
        boolean more;
        do {
            JsonNode page = get("phone-systems/" + org + "/changes?limit=" + limit + "&after=" + enc(cursor), token).expect(200).json();
            page.path("changes").forEach(out::add);
            cursor = page.path("cursor").asText();
            more = page.path("hasMore").asBoolean();
        } while (more);
        if (cursorOut != null) {
            cursorOut.clear();
            cursorOut.add(cursor);
        }
        return out;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + body, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
