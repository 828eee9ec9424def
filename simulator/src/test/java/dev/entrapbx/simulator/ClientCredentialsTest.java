package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.identity.TokenIssuer;
import dev.entrapbx.simulator.support.ClientAssertions.ClientCert;
import dev.entrapbx.simulator.support.ClientAssertions;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import dev.entrapbx.simulator.tls.Certificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClientCredentialsTest extends SimulatorTestSupport {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static Fixture fx;
    private static ClientCert cert;

    @BeforeAll
    static void seed() {
        fx = fixture("Creds", "User.Read.All", "Group.Read.All");
        cert = ClientCert.create("pbx-sync", Duration.ofDays(30));
        sim.directory().addCertificate(fx.clientId(), cert.certificate());
    }

    private static JsonNode errorOf(HttpResponse<String> r, int status, int code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = TestHttp.json(r);
        assertThat(body.get("error_codes").get(0).asInt()).isEqualTo(code);
        assertThat(body.get("error_description").asText()).startsWith("AADSTS" + code + ": ");
        assertThat(body.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ");
        return body;
    }

    private static HttpResponse<String> withAssertion(String assertion) {
        return http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type", "client_credentials",
                "client_id", fx.clientId(), "client_assertion_type", JWT_BEARER, "client_assertion", assertion,
                "scope", GRAPH_DEFAULT));
    }

    @Test
    void secretInTheFormYieldsAnAppOnlyGraphToken() throws Exception {
        HttpResponse<String> r = clientCredentials(fx, fx.secret());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestHttp.json(r);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(3599);
        assertThat(body.get("ext_expires_in").asInt()).isEqualTo(3599);
        assertThat(body.has("refresh_token")).isFalse();
        JWTClaimsSet claims = SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("https://graph.microsoft.com");
        assertThat(claims.getStringListClaim("roles")).containsExactlyInAnyOrder("User.Read.All", "Group.Read.All");
        assertThat(claims.getStringClaim("tid")).isEqualTo(fx.tenantId());
        assertThat(claims.getStringClaim("appid")).isEqualTo(fx.clientId());
        assertThat(claims.getStringClaim("azp")).isEqualTo(fx.clientId());
        assertThat(claims.getStringClaim("idtyp")).isEqualTo("app");
        assertThat(claims.getStringClaim("appidacr")).isEqualTo("1");
        assertThat(claims.getSubject()).isEqualTo(TokenIssuer.servicePrincipalId(fx.clientId(), fx.tenantId()));
    }

    @Test
    void secretViaHttpBasicWorks() {
        String basic = Base64.getEncoder().encodeToString((fx.clientId() + ":" + fx.secret()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.postForm(tokenEndpoint(fx.domain()), Map.of("grant_type", "client_credentials",
                "scope", GRAPH_DEFAULT), "Authorization", "Basic " + basic);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void wrongAndExpiredSecretsAreRefused() {
        JsonNode wrong = errorOf(clientCredentials(fx, "not-the-secret"), 401, 7000215);
        assertThat(wrong.get("error").asText()).isEqualTo("invalid_client");
        assertThat(wrong.get("error_description").asText()).contains("Invalid client secret provided")
                .contains("Trace ID:", "Correlation ID:", "Timestamp:");
        sim.directory().addClientSecret(fx.clientId(), "old-secret", Instant.now().minus(1, ChronoUnit.DAYS));
        JsonNode expired = errorOf(clientCredentials(fx, "old-secret"), 401, 7000222);
        assertThat(expired.get("error_description").asText()).contains("are expired");
    }

    @Test
    void correlationIdEchoesTheClientRequestId() {
        HttpResponse<String> r = http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type", "client_credentials",
                "client_id", fx.clientId(), "client_secret", "x", "scope", GRAPH_DEFAULT),
                "client-request-id", "11111111-2222-3333-4444-555555555555");
        assertThat(TestHttp.json(r).get("correlation_id").asText()).isEqualTo("11111111-2222-3333-4444-555555555555");
    }

    @Test
    void scopeMustBeAResourceDotDefault() {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "client_credentials",
                "client_id", fx.clientId(), "client_secret", fx.secret()));
        form.put("scope", "User.Read.All");
        errorOf(http.postForm(tokenEndpoint(fx.tenantId()), form), 400, 1002012);
        form.put("scope", "https://unknown.example/.default");
        assertThat(errorOf(http.postForm(tokenEndpoint(fx.tenantId()), form), 400, 500011).get("error").asText())
                .isEqualTo("invalid_resource");
        for (String graph : new String[] {"https://graph.microsoft.us/.default", "https://dod-graph.microsoft.us/.default",
                "https://microsoftgraph.chinacloudapi.cn/.default", sim.baseUrl() + "/.default",
                "00000003-0000-0000-c000-000000000000/.default", GRAPH_DEFAULT + " openid profile offline_access"}) {
            form.put("scope", graph);
            assertThat(http.postForm(tokenEndpoint(fx.tenantId()), form).statusCode()).as(graph).isEqualTo(200);
        }
        form.remove("scope");
        errorOf(http.postForm(tokenEndpoint(fx.tenantId()), form), 400, 900144);
    }

    @Test
    void unknownClientAndTenantAreReported() {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id",
                "0f0f0f0f-0000-0000-0000-000000000000", "client_secret", "x", "scope", GRAPH_DEFAULT);
        errorOf(http.postForm(tokenEndpoint(fx.tenantId()), form), 400, 700016);
        errorOf(http.postForm(tokenEndpoint("nowhere.example"), form), 400, 90002);
    }

    @Test
    void certificateAssertionWithSha256ThumbprintAndPs256() throws Exception {
        HttpResponse<String> r = withAssertion(ClientAssertions.sign(cert, fx.clientId(), tokenEndpoint(fx.tenantId())));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(TestHttp.json(r).get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("appidacr")).isEqualTo("2");
    }

    @Test
    void certificateAssertionWithLegacyX5tAndRs256() throws Exception {
        Instant now = Instant.now();
        String assertion = ClientAssertions.sign(cert, fx.clientId(), tokenEndpoint(fx.domain()), JWSAlgorithm.RS256,
                false, now, now.plusSeconds(300));
        assertThat(withAssertion(assertion).statusCode()).isEqualTo(200);
    }

    @Test
    void unregisteredCertificateIsRefused() throws Exception {
        ClientCert stranger = ClientCert.create("stranger", Duration.ofDays(1));
        JsonNode body = errorOf(withAssertion(ClientAssertions.sign(stranger, fx.clientId(), tokenEndpoint(fx.tenantId()))),
                401, 700027);
        assertThat(body.get("error_description").asText()).contains("is not registered on application");
    }

    @Test
    void tamperedSignatureIsRefused() throws Exception {
        String assertion = ClientAssertions.sign(cert, fx.clientId(), tokenEndpoint(fx.tenantId()));
        String[] parts = assertion.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                SignedJWT.parse(assertion).getJWTClaimsSet().toString().replace(fx.clientId(), fx.clientId())
                        .concat(" ").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        JsonNode body = errorOf(withAssertion(forged), 401, 700027);
        assertThat(body.get("error_description").asText()).contains("invalid signature");
    }

    @Test
    void expiredAssertionWrongAudienceAndWrongIssuerAreRefused() throws Exception {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        errorOf(withAssertion(ClientAssertions.sign(cert, fx.clientId(), tokenEndpoint(fx.tenantId()), JWSAlgorithm.PS256,
                true, past, past.plusSeconds(600))), 401, 700024);
        errorOf(withAssertion(ClientAssertions.sign(cert, fx.clientId(), "https://login.example/token")), 401, 700023);
        errorOf(withAssertion(ClientAssertions.sign(cert, "0f0f0f0f-0000-0000-0000-000000000000",
                tokenEndpoint(fx.tenantId()))), 401, 700021);
        errorOf(withAssertion("not-a-jwt"), 401, 50027);
    }

    @Test
    void expiredUploadedCertificateIsRefused() throws Exception {
        ClientCert old = new ClientCert(cert.keys(), Certificates.selfSigned(cert.keys(),
                "CN=expired", Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1))));
        sim.directory().addCertificate(fx.clientId(), old.certificate());
        JsonNode body = errorOf(withAssertion(ClientAssertions.sign(old, fx.clientId(), tokenEndpoint(fx.tenantId()))),
                401, 700027);
        assertThat(body.get("error_description").asText()).contains("The key used is expired");
    }

    @Test
    void missingCredentialIsRefused() {
        errorOf(http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type", "client_credentials",
                "client_id", fx.clientId(), "scope", GRAPH_DEFAULT)), 401, 7000218);
    }
}
