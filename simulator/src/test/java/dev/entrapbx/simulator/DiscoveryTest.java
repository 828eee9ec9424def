package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryTest extends SimulatorTestSupport {
    private static Fixture contoso;

    @BeforeAll
    static void seed() {
        contoso = fixture("Contoso");
    }

    private static JsonNode discovery(String tenant) {
        HttpResponse<String> r = http.get(sim.baseUrl() + "/" + tenant + "/v2.0/.well-known/openid-configuration");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHttp.json(r);
    }

    @Test
    void tenantDocumentCarriesTheTenantGuidEverywhere() {
        JsonNode doc = discovery(contoso.tenantId());
        String t = sim.baseUrl() + "/" + contoso.tenantId();
        assertThat(doc.get("issuer").asText()).isEqualTo(t + "/v2.0");
        assertThat(doc.get("authorization_endpoint").asText()).isEqualTo(t + "/oauth2/v2.0/authorize");
        assertThat(doc.get("token_endpoint").asText()).isEqualTo(t + "/oauth2/v2.0/token");
        assertThat(doc.get("jwks_uri").asText()).isEqualTo(t + "/discovery/v2.0/keys");
        assertThat(doc.get("end_session_endpoint").asText()).isEqualTo(t + "/oauth2/v2.0/logout");
        assertThat(doc.get("userinfo_endpoint").asText()).isEqualTo(sim.baseUrl() + "/oidc/userinfo");
        assertThat(doc.get("response_modes_supported").toString()).contains("query", "fragment", "form_post");
        assertThat(doc.get("token_endpoint_auth_methods_supported").toString())
                .contains("client_secret_post", "private_key_jwt", "client_secret_basic");
        assertThat(doc.get("id_token_signing_alg_values_supported").toString()).contains("RS256");
        assertThat(doc.get("claims_supported").toString()).contains("tid", "preferred_username", "email");
        assertThat(doc.get("tenant_region_scope").asText()).isEqualTo("NA");
    }

    @Test
    void verifiedDomainResolvesToTheSameTenant() {
        JsonNode byDomain = discovery(contoso.domain());
        assertThat(byDomain.get("issuer").asText()).isEqualTo(sim.baseUrl() + "/" + contoso.tenantId() + "/v2.0");
        assertThat(byDomain.get("token_endpoint").asText()).contains(contoso.tenantId());
        JsonNode byInitial = discovery(contoso.tenant().initialDomain().name());
        assertThat(byInitial.get("issuer").asText()).isEqualTo(byDomain.get("issuer").asText());
    }

    @Test
    void organizationsAndCommonKeepTheIssuerTemplate() {
        JsonNode orgs = discovery("organizations");
        assertThat(orgs.get("issuer").asText()).isEqualTo(sim.baseUrl() + "/{tenantid}/v2.0");
        assertThat(orgs.get("token_endpoint").asText()).isEqualTo(sim.baseUrl() + "/organizations/oauth2/v2.0/token");
        assertThat(orgs.get("tenant_region_scope").isNull()).isTrue();
        JsonNode common = discovery("common");
        assertThat(common.get("issuer").asText()).isEqualTo(sim.baseUrl() + "/{tenantid}/v2.0");
        assertThat(common.get("authorization_endpoint").asText()).isEqualTo(sim.baseUrl() + "/common/oauth2/v2.0/authorize");
    }

    @Test
    void unknownTenantAndConsumersAreRefusedLikeEntra() {
        for (String tenant : new String[] {"nobody.example", "00000000-1111-2222-3333-444444444444", "consumers"}) {
            HttpResponse<String> r = http.get(sim.baseUrl() + "/" + tenant + "/v2.0/.well-known/openid-configuration");
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode body = TestHttp.json(r);
            assertThat(body.get("error").asText()).isEqualTo("invalid_tenant");
            assertThat(body.get("error_codes").get(0).asInt()).isEqualTo(90002);
            assertThat(body.get("error_description").asText()).startsWith("AADSTS90002: Tenant '" + tenant + "' not found.")
                    .contains("Trace ID:", "Correlation ID:", "Timestamp:");
            assertThat(body.has("trace_id")).isTrue();
            assertThat(body.has("correlation_id")).isTrue();
        }
    }
}
