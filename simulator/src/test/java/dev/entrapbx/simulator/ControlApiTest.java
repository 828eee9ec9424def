package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.support.BrowserFlow;
import dev.entrapbx.simulator.support.ClientAssertions.ClientCert;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import dev.entrapbx.simulator.tls.Certificates;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ControlApiTest extends SimulatorTestSupport {
    private static final String TID = "11111111-2222-4333-8444-555555555555";

    private String url(String path) {
        return sim.baseUrl() + "/_sim" + path;
    }

    private JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : TestHttp.json(r);
    }

    @Test
    void healthReportsTheBaseUrlAndTrustAnchor() {
        JsonNode health = ok(http.get(url("/health")), 200);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("baseUrl").asText()).isEqualTo(sim.baseUrl());
        assertThat(health.get("trustAnchorPem").asText()).endsWith("ca.pem");
    }

    @Test
    void tenantAppUserGroupLifecycleOverHttp() throws Exception {
        JsonNode tenant = ok(http.postJson(url("/tenants"), "{\"id\":\"" + TID + "\",\"displayName\":\"Northwind\","
                + "\"domains\":[\"northwind.example\",{\"name\":\"legacy.example\",\"isVerified\":false}]}"), 201);
        assertThat(tenant.get("domains").toString()).contains("northwind.onmicrosoft.com", "legacy.example");
        ok(http.postJson(url("/tenants/" + TID + "/domains"), "{\"name\":\"nw.example\"}"), 200);

        JsonNode app = ok(http.postJson(url("/tenants/" + TID + "/apps"), "{\"displayName\":\"NW PBX\","
                + "\"redirectUris\":[\"https://kc.example/cb\"],\"permissions\":[\"User.Read.All\"],"
                + "\"secrets\":[{\"value\":\"s3cret-value\",\"endDateTime\":\"2030-01-01\"}]}"), 201);
        String appId = app.get("appId").asText();
        assertThat(app.toString()).doesNotContain("s3cret-value");
        JsonNode secret = ok(http.postJson(url("/apps/" + appId + "/secrets"), "{\"endDateTime\":\"2031-01-01T00:00:00Z\"}"), 201);
        assertThat(secret.get("value").asText()).hasSizeGreaterThan(20);
        ClientCert cert = ClientCert.create("nw", Duration.ofDays(10));
        JsonNode uploaded = ok(http.postJson(url("/apps/" + appId + "/certificates"),
                "{\"pem\":" + HttpResponseJson.quote(Certificates.toPem(cert.certificate())) + "}"), 201);
        assertThat(uploaded.get("thumbprint").asText()).isEqualTo(Certificates.sha1Hex(cert.certificate()));
        JsonNode patched = ok(http.patchJson(url("/apps/" + appId), "{\"permissions\":[\"User.Read.All\",\"Group.Read.All\"]}"), 200);
        assertThat(patched.get("permissions")).hasSize(2);

        JsonNode user = ok(http.postJson(url("/tenants/" + TID + "/users"), "{\"userPrincipalName\":\"ann@northwind.example\","
                + "\"displayName\":\"Ann\",\"password\":\"P@ss\",\"onPremisesExtensionAttributes\":{\"extensionAttribute2\":\"42\"}}"), 201);
        String userId = user.get("id").asText();
        JsonNode updated = ok(http.patchJson(url("/tenants/" + TID + "/users/" + userId), "{\"jobTitle\":\"Lead\"}"), 200);
        assertThat(updated.get("jobTitle").asText()).isEqualTo("Lead");
        assertThat(updated.at("/onPremisesExtensionAttributes/extensionAttribute2").asText()).isEqualTo("42");
        ok(http.put(url("/tenants/" + TID + "/users/" + userId + "/photo"), "image/jpeg", new byte[] {1, 2, 3}), 200);
        assertThat(sim.directory().photo(TID, userId)).isPresent();

        JsonNode group = ok(http.postJson(url("/tenants/" + TID + "/groups"), "{\"displayName\":\"Ops\",\"members\":[\""
                + userId + "\"]}"), 201);
        String groupId = group.get("id").asText();
        JsonNode members = ok(http.get(url("/tenants/" + TID + "/groups/" + groupId + "/members")), 200);
        assertThat(members.get(0).get("id").asText()).isEqualTo(userId);
        ok(http.delete(url("/tenants/" + TID + "/groups/" + groupId + "/members/" + userId)), 204);

        ok(http.delete(url("/tenants/" + TID + "/users/" + userId)), 200);
        assertThat(sim.directory().user(TID, userId)).isEmpty();
        ok(http.postJson(url("/tenants/" + TID + "/users/" + userId + ":restore"), "{}"), 200);
        ok(http.delete(url("/tenants/" + TID + "/users/" + userId + "?hard=true")), 200);
        assertThat(http.postJson(url("/tenants/" + TID + "/users/" + userId + ":restore"), "{}").statusCode()).isEqualTo(404);

        JsonNode generated = ok(http.postJson(url("/tenants/" + TID + "/users:generate"),
                "{\"count\":250,\"domain\":\"northwind.example\",\"prefix\":\"gen\"}"), 200);
        assertThat(generated.get("created").asInt()).isEqualTo(250);
        assertThat(ok(http.get(url("/tenants/" + TID + "/users?top=5")), 200).get("count").asInt()).isEqualTo(250);

        ok(http.postJson(url("/tenants/" + TID + "/delta:expire"), "{}"), 200);
        ok(http.delete(url("/tenants/" + TID)), 204);
        assertThat(sim.directory().tenant(TID)).isEmpty();
    }

    @Test
    void errorsNameTheProblem() {
        HttpResponse<String> missing = http.get(url("/tenants/nope.example"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(missing).get("error").asText()).contains("nope.example");
        assertThat(http.postJson(url("/tenants"), "{not json").statusCode()).isEqualTo(400);
        String tid = sim.directory().createTenant(null, "Dup", "dup.example").id();
        HttpResponse<String> conflict = http.postJson(url("/tenants/" + tid + "/users"),
                "{\"userPrincipalName\":\"x@elsewhere.example\"}");
        assertThat(conflict.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(conflict).get("error").asText()).contains("not a domain of tenant");
        assertThat(http.get(url("/no/such/path")).statusCode()).isEqualTo(404);
    }

    @Test
    void seedRotateAuthorizeRequestsAndReset() {
        JsonNode summary = ok(http.postJson(url("/seed"), "{\"tenants\":[{\"displayName\":\"Seeded\","
                + "\"domains\":[\"seeded.example\"],\"apps\":[{\"appId\":\"22222222-3333-4444-8555-666666666666\","
                + "\"displayName\":\"Seeded App\",\"redirectUris\":[\"https://s.example/cb\"]}],"
                + "\"users\":[{\"userPrincipalName\":\"sam@seeded.example\",\"password\":\"pw\"}],"
                + "\"groups\":[{\"displayName\":\"G\",\"members\":[\"sam@seeded.example\"]}],"
                + "\"generate\":{\"count\":10}}]}"), 200);
        assertThat(summary.get("users").asInt()).isEqualTo(1);
        assertThat(summary.get("generatedUsers").asInt()).isEqualTo(10);

        String kid = sim.signingKeys().current().kid();
        JsonNode rotated = ok(http.postJson(url("/keys:rotate"), "{\"keepPrevious\":false}"), 200);
        assertThat(rotated.get("kid").asText()).isNotEqualTo(kid);

        String tenantId = summary.at("/tenants/0/id").asText();
        new BrowserFlow(sim.sslContext(), sim.baseUrl()).open(BrowserFlow.authorizeUrl(sim.baseUrl(), tenantId, Map.of(
                "client_id", "22222222-3333-4444-8555-666666666666", "redirect_uri", "https://s.example/cb",
                "response_type", "code", "scope", "openid", "domain_hint", "seeded.example")));
        JsonNode recorded = ok(http.get(url("/authorize-requests/22222222-3333-4444-8555-666666666666")), 200);
        assertThat(recorded.get("domain_hint").asText()).isEqualTo("seeded.example");

        graphGet("x", "/v1.0/users", "x-ms-throttle-priority", "low");
        JsonNode request = ok(http.get(url("/requests?prefix=" + URLEncoder.encode("/v1.0/users", StandardCharsets.UTF_8))), 200);
        assertThat(request.toString()).containsIgnoringCase("x-ms-throttle-priority");

        ok(http.postJson(url("/reset"), "{}"), 200);
        assertThat(sim.directory().tenants()).isEmpty();
    }

    /** JSON string quoting for building bodies. */
    private static final class HttpResponseJson {
        static String quote(String s) {
            return Json.text(TextNode.valueOf(s));
        }
    }
}
