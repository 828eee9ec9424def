package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Token mapper {@code pbx-extension}: a synced user's ID token, access token and userinfo carry
 * {@code extension} and {@code pbx.organization} (and {@code pbx.roles} when switched on); a member
 * without an extension gets no {@code extension} claim; a client without the mapper gets neither; a
 * member of two Organizations gets the one the {@code organization} scope names, else none; the
 * demo's {@code pbx-web} has the mapper and its tokens name Contoso.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PbxClaimIT {

    private static final String LOCAL_PASSWORD = "Passw0rd!-claim-local";
    private static final String PLAIN_CLIENT = "plain-app";
    private static final String MAPPER = "pbx-extension";
    private static final ObjectMapper JSON = new ObjectMapper();

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    Customer f;
    String appClient;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "claim-it");
        f = Customer.in(stack, realm, "claims").permissions(Customer.SYNC_PERMISSIONS).create();
        f.entraUser("ann");
        String syncId = f.createSync("claims-sync", Map.of("extensionRange", "500-599"));
        f.sync(syncId, true);

        appClient = clientUuid(TestRealm.CLIENT_ID);
        admin.send("POST", "/" + realm.name() + "/clients", Map.of("clientId", PLAIN_CLIENT, "publicClient", true,
                "standardFlowEnabled", true, "directAccessGrantsEnabled", true, "redirectUris", List.of(TestRealm.CLIENT_REDIRECT))).expect(201);
        admin.send("POST", "/" + realm.name() + "/clients/" + appClient + "/protocol-mappers/models", Map.of(
                "name", "PBX extension", "protocol", "openid-connect", "protocolMapper", MAPPER,
                "config", Map.of("id.token.claim", "true", "access.token.claim", "true", "userinfo.token.claim", "true",
                        "addRoles", "true"))).expect(201);
        admin.send("POST", "/" + realm.name() + "/clients/" + appClient + "/roles", Map.of("name", "agent")).expect(201);
    }

    @AfterAll
    void removeTheRealm() {
        admin.send("DELETE", "/" + realm.name(), null).expect(204);
    }

    @Test
    void aSyncedUsersIdTokenAccessTokenAndUserinfoCarryExtensionOrganizationAndRoles() throws Exception {
        JsonNode ann = f.user("ann@" + f.domain());
        String extension = Customer.attr(ann, "extension");
        assertThat(extension).as("the sync gave Ann an extension").startsWith("5").hasSize(3);
        JsonNode agent = admin.get("/" + realm.name() + "/clients/" + appClient + "/roles/agent");
        admin.send("POST", "/" + realm.name() + "/users/" + ann.path("id").asText() + "/role-mappings/clients/" + appClient,
                List.of(agent)).expect(204);

        JsonNode tokens = f.signInThroughMicrosoft("ann@" + f.domain());
        JsonNode idToken = claims(tokens.path("id_token").asText());
        JsonNode accessToken = claims(tokens.path("access_token").asText());
        JsonNode userinfo = userinfo(tokens.path("access_token").asText());
        for (Map.Entry<String, JsonNode> token : Map.of("ID token", idToken, "access token", accessToken, "userinfo", userinfo).entrySet()) {
            JsonNode c = token.getValue();
            assertThat(c.path("extension").isTextual()).as("%s: %s", token.getKey(), c).isTrue();
            assertThat(c.path("extension").asText()).as(token.getKey()).isEqualTo(extension);
            assertThat(c.path("pbx").path("organization").path("id").asText()).as(token.getKey()).isEqualTo(f.orgId());
            assertThat(c.path("pbx").path("organization").path("alias").asText()).as(token.getKey()).isEqualTo(f.orgAlias());
            assertThat(c.path("pbx").path("roles").toString()).as(token.getKey()).isEqualTo("[\"agent\"]");
        }
    }

    @Test
    void aMemberWithoutExtensionGetsNoExtensionClaimButItsOrganization() throws Exception {
        f.localMember("desk", "desk@" + f.domain(), LOCAL_PASSWORD);
        JsonNode tokens = passwordGrant(TestRealm.CLIENT_ID, "desk", "openid");
        for (JsonNode c : List.of(claims(tokens.path("id_token").asText()), claims(tokens.path("access_token").asText()),
                userinfo(tokens.path("access_token").asText()))) {
            assertThat(c.has("extension")).as("no extension, no claim (not null, not empty): %s", c).isFalse();
            assertThat(c.path("pbx").path("organization").path("alias").asText()).isEqualTo(f.orgAlias());
            assertThat(c.path("pbx").has("roles")).as("no roles held, no roles claim").isFalse();
        }
    }

    @Test
    void aClientWithoutTheMapperGetsNeitherClaim() throws Exception {
        String id = f.localMember("frontdesk", "frontdesk@" + f.domain(), LOCAL_PASSWORD);
        setExtension(id, "590");

        JsonNode mapped = passwordGrant(TestRealm.CLIENT_ID, "frontdesk", "openid");
        assertThat(claims(mapped.path("id_token").asText()).path("extension").asText()).as("the client with the mapper").isEqualTo("590");

        JsonNode plain = passwordGrant(PLAIN_CLIENT, "frontdesk", "openid");
        for (JsonNode c : List.of(claims(plain.path("id_token").asText()), claims(plain.path("access_token").asText()),
                userinfo(plain.path("access_token").asText()))) {
            assertThat(c.has("extension")).as("%s", c).isFalse();
            assertThat(c.has("pbx")).as("%s", c).isFalse();
        }
    }

    @Test
    void aMemberOfTwoOrganizationsGetsTheOneTheOrganizationScopeNamesElseNone() throws Exception {
        String id = f.localMember("roamer", "roamer@" + f.domain(), LOCAL_PASSWORD);
        setExtension(id, "591");
        String second = realm.createOrganization("Claims Second", "claims-second", "claims-second.example", Map.of());
        realm.addOrganizationMember(second, id);

        JsonNode unscoped = claims(passwordGrant(TestRealm.CLIENT_ID, "roamer", "openid").path("id_token").asText());
        assertThat(unscoped.path("extension").asText()).isEqualTo("591");
        assertThat(unscoped.has("pbx")).as("two memberships, none selected: not guessed: %s", unscoped).isFalse();

        JsonNode tokens = passwordGrant(TestRealm.CLIENT_ID, "roamer", "openid organization:claims-second");
        for (JsonNode c : List.of(claims(tokens.path("id_token").asText()), claims(tokens.path("access_token").asText()),
                userinfo(tokens.path("access_token").asText()))) {
            assertThat(c.path("pbx").path("organization").path("id").asText()).as("%s", c).isEqualTo(second);
            assertThat(c.path("pbx").path("organization").path("alias").asText()).isEqualTo("claims-second");
        }
    }

    @Test
    void aRolesClientThatDoesNotExistIsRefusedAtSave() {
        KeycloakAdminClient.Response r = admin.send("POST", "/" + realm.name() + "/clients/" + appClient + "/protocol-mappers/models", Map.of(
                "name", "PBX extension (typo)", "protocol", "openid-connect", "protocolMapper", MAPPER,
                "config", Map.of("id.token.claim", "true", "addRoles", "true", "rolesClient", "pbx-wbe")));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("pbx-wbe").contains("does not exist");
    }

    @Test
    void theDemoPbxWebClientHasTheMapperAndItsTokensNameContoso() {
        String demoClient = admin.get("/demo/clients?clientId=pbx-web").get(0).path("id").asText();
        JsonNode mapper = null;
        for (JsonNode m : admin.get("/demo/clients/" + demoClient + "/protocol-mappers/models")) {
            if (MAPPER.equals(m.path("protocolMapper").asText())) {
                mapper = m;
            }
        }
        assertThat(mapper).as("pbx-web's pbx-extension mapper in the imported demo realm").isNotNull();
        for (String token : List.of("id.token.claim", "access.token.claim", "userinfo.token.claim")) {
            assertThat(mapper.path("config").path(token).asText()).as(token).isEqualTo("true");
        }

        // a throw-away Contoso member (the demo realm declares no 'extension' attribute until its sync runs)
        TestRealm demo = TestRealm.existing(admin, "demo");
        String contoso = Customer.existing(stack, demo, "contoso").orgId();
        String user = demo.createUser("pbx-claim-it", "pbx-claim-it@contoso.example", true, LOCAL_PASSWORD);
        try {
            demo.addOrganizationMember(contoso, user);
            String evaluate = "/demo/clients/" + demoClient + "/evaluate-scopes/generate-example-";
            for (String token : List.of("id-token", "access-token", "userinfo")) {
                JsonNode c = admin.get(evaluate + token + "?scope=openid&userId=" + user);
                assertThat(c.path("pbx").path("organization").path("alias").asText()).as("%s: %s", token, c).isEqualTo("contoso");
                assertThat(c.path("pbx").path("organization").path("id").asText()).as(token).isEqualTo(contoso);
                assertThat(c.has("extension")).as(token).isFalse();
            }
        } finally {
            admin.send("DELETE", "/demo/users/" + user, null).expect(204);
        }
    }

    // ------------------------------------------------------------------ helpers

    private String clientUuid(String clientId) {
        return admin.get("/" + realm.name() + "/clients?clientId=" + clientId).get(0).path("id").asText();
    }

    /** Sets the user's extension attribute through admin REST (the sync's user profile declares it). */
    private void setExtension(String userId, String extension) {
        ObjectNode rep = (ObjectNode) admin.get("/" + realm.name() + "/users/" + userId);
        ObjectNode attributes = rep.has("attributes") ? (ObjectNode) rep.get("attributes") : rep.putObject("attributes");
        ArrayNode values = attributes.putArray("extension");
        values.add(extension);
        admin.send("PUT", "/" + realm.name() + "/users/" + userId, rep).expect(204);
        assertThat(Customer.attr(admin.get("/" + realm.name() + "/users/" + userId), "extension")).isEqualTo(extension);
    }

    private JsonNode passwordGrant(String clientId, String username, String scope) throws Exception {
        HttpResponse<String> r = realm.tokenRequest(stack.keycloak().baseUrl(), "grant_type=password&client_id=" + clientId + "&scope=" + Browserless.enc(scope)
                + "&username=" + Browserless.enc(username) + "&password=" + Browserless.enc(LOCAL_PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode userinfo(String accessToken) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.keycloak().baseUrl() + "/realms/" + realm.name()
                + "/protocol/openid-connect/userinfo")).header("Authorization", "Bearer " + accessToken).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
