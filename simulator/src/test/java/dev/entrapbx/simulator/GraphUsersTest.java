package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GraphUsersTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static String token;
    private static User guest;
    private static User disabled;

    @BeforeAll
    static void seed() {
        fx = fixture("Users");
        for (int i = 0; i < 25; i++) {
            int n = i;
            sim.directory().createUser(fx.tenantId(), User.builder().userPrincipalName("u" + i + "@" + fx.domain())
                    .displayName((i % 2 == 0 ? "Alice " : "Bob ") + i).mail("u" + i + "@" + fx.domain())
                    .department(i < 10 ? "Sales" : "Support").jobTitle("Agent")
                    .extensionAttribute(1, n < 5 ? "4" + String.format("%03d", n) : null));
        }
        guest = sim.directory().createUser(fx.tenantId(), User.builder()
                .userPrincipalName("ext_partner.example#EXT#@" + fx.domain()).userType("Guest").displayName("Guest One"));
        disabled = sim.directory().createUser(fx.tenantId(), User.builder()
                .userPrincipalName("off@" + fx.domain()).accountEnabled(false).displayName("Off Line"));
        token = appToken(fx);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void pagesWithTopAndNextLinkUntilEveryUserWasSeen() {
        Set<String> ids = new HashSet<>();
        String url = "/v1.0/users?$top=10&$select=id,displayName";
        int pages = 0;
        while (url != null) {
            JsonNode page = graphJson(token, url);
            pages++;
            page.get("value").forEach(u -> {
                assertThat(u.fieldNames()).toIterable().containsExactly("id", "displayName");
                ids.add(u.get("id").asText());
            });
            assertThat(page.get("@odata.context").asText()).endsWith("/v1.0/$metadata#users(id,displayName)");
            url = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            if (url != null) {
                assertThat(url).contains("$top=10", "$select=id,displayName", "$skiptoken=");
            }
        }
        assertThat(ids).hasSize(27);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void defaultPageIsOneHundredWithTheDefaultProperties() {
        JsonNode page = graphJson(token, "/v1.0/users");
        assertThat(page.get("value")).hasSize(27);
        assertThat(page.has("@odata.nextLink")).isFalse();
        JsonNode first = page.get("value").get(0);
        assertThat(first.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "businessPhones", "displayName",
                "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname",
                "userPrincipalName");
    }

    @Test
    void topAbove999IsRefused() {
        HttpResponse<String> r = graphGet(token, "/v1.0/users?$top=1000");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = TestHttp.json(r).get("error");
        assertThat(error.get("code").asText()).isEqualTo("Request_UnsupportedQuery");
        assertThat(error.get("message").asText()).contains("Must be between 1 and 999 inclusive");
        assertThat(error.get("innerError").has("request-id")).isTrue();
        assertThat(error.get("innerError").has("date")).isTrue();
        assertThat(r.headers().firstValue("request-id")).isPresent();
    }

    @Test
    void filtersOnStringsBooleansStartsWithInAndOrAndParentheses() {
        assertThat(graphJson(token, "/v1.0/users?$filter=" + q("department eq 'sales'")).get("value")).hasSize(10);
        assertThat(graphJson(token, "/v1.0/users?$filter=" + q("startswith(displayName,'Alice')")).get("value")).hasSize(13);
        assertThat(graphJson(token, "/v1.0/users?$filter=" + q("accountEnabled eq false")).get("value")).hasSize(1);
        assertThat(graphJson(token, "/v1.0/users?$filter=" + q("userType eq 'Guest'")).get("value").get(0)
                .get("id").asText()).isEqualTo(guest.id());
        JsonNode both = graphJson(token, "/v1.0/users?$select=id&$filter=" + q("id in ('" + guest.id() + "','"
                + disabled.id() + "')"));
        assertThat(both.get("value")).hasSize(2);
        JsonNode combined = graphJson(token, "/v1.0/users?$filter=" + q("(department eq 'Sales' and "
                + "startswith(displayName,'Bob')) or userPrincipalName eq 'off@" + fx.domain() + "'"));
        assertThat(combined.get("value")).hasSize(6);
    }

    @Test
    void negationAndExtensionAttributesNeedAdvancedQueryParameters() {
        for (String filter : new String[] {"accountEnabled ne true", "not(department eq 'Sales')",
                "onPremisesExtensionAttributes/extensionAttribute1 eq '4001'"}) {
            HttpResponse<String> plain = graphGet(token, "/v1.0/users?$filter=" + q(filter));
            assertThat(plain.statusCode()).as(filter).isEqualTo(400);
            JsonNode error = TestHttp.json(plain).get("error");
            assertThat(error.get("code").asText()).isEqualTo("Request_UnsupportedQuery");
            assertThat(error.get("message").asText()).contains("$count=true", "ConsistencyLevel:eventual");
            HttpResponse<String> headerOnly = graphGet(token, "/v1.0/users?$filter=" + q(filter),
                    "ConsistencyLevel", "eventual");
            assertThat(headerOnly.statusCode()).as(filter).isEqualTo(400);
        }
        JsonNode ext = graphJson(token, "/v1.0/users?$count=true&$filter="
                + q("onPremisesExtensionAttributes/extensionAttribute1 eq '4001'")
                + "&$select=id,onPremisesExtensionAttributes", "ConsistencyLevel", "eventual");
        assertThat(ext.get("@odata.count").asInt()).isEqualTo(1);
        JsonNode attrs = ext.get("value").get(0).get("onPremisesExtensionAttributes");
        assertThat(attrs.get("extensionAttribute1").asText()).isEqualTo("4001");
        assertThat(attrs.has("extensionAttribute15")).isTrue();
        assertThat(attrs.get("extensionAttribute15").isNull()).isTrue();
        JsonNode ne = graphJson(token, "/v1.0/users?$count=true&$filter=" + q("accountEnabled ne true"),
                "ConsistencyLevel", "eventual");
        assertThat(ne.get("@odata.count").asInt()).isEqualTo(1);
    }

    @Test
    void countWithoutTheHeaderIsSilentlyIgnoredAndWithItCountsAllMatches() {
        assertThat(graphJson(token, "/v1.0/users?$count=true").has("@odata.count")).isFalse();
        JsonNode counted = graphJson(token, "/v1.0/users?$count=true&$top=5", "ConsistencyLevel", "eventual");
        assertThat(counted.get("@odata.count").asInt()).isEqualTo(27);
        assertThat(counted.get("value")).hasSize(5);
    }

    @Test
    void invalidFilterOrSelectIsABadRequest() {
        HttpResponse<String> r = graphGet(token, "/v1.0/users?$select=shoeSize");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(r).at("/error/message").asText())
                .isEqualTo("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
        assertThat(graphGet(token, "/v1.0/users?$filter=" + q("displayName eq")).statusCode()).isEqualTo(400);
        assertThat(graphGet(token, "/v1.0/users?$filter=" + q("accountEnabled eq 'yes'")).statusCode()).isEqualTo(400);
    }

    @Test
    void getsAUserByIdOrUserPrincipalName() {
        JsonNode byId = graphJson(token, "/v1.0/users/" + disabled.id() + "?$select=accountEnabled,displayName");
        assertThat(byId.get("accountEnabled").asBoolean()).isFalse();
        assertThat(byId.get("@odata.context").asText()).endsWith("$metadata#users(accountEnabled,displayName)/$entity");
        JsonNode byUpn = graphJson(token, "/v1.0/users/" + q(guest.userPrincipalName()));
        assertThat(byUpn.get("id").asText()).isEqualTo(guest.id());
        HttpResponse<String> missing = graphGet(token, "/v1.0/users/nobody@" + fx.domain());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(missing).at("/error/code").asText()).isEqualTo("Request_ResourceNotFound");
    }

    @Test
    void badOrMissingTokensGet401AndMissingPermissionsGet403() {
        HttpResponse<String> none = http.get(sim.baseUrl() + "/v1.0/users");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(none).at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        assertThat(graphGet("garbage", "/v1.0/users").statusCode()).isEqualTo(401);
        String tampered = token.substring(0, token.length() - 6) + "AAAAAA";
        assertThat(graphGet(tampered, "/v1.0/users").statusCode()).isEqualTo(401);

        Fixture weak = fixture("Weak", "Organization.Read.All");
        String weakToken = appToken(weak);
        HttpResponse<String> denied = graphGet(weakToken, "/v1.0/users");
        assertThat(denied.statusCode()).isEqualTo(403);
        JsonNode error = TestHttp.json(denied).get("error");
        assertThat(error.get("code").asText()).isEqualTo("Authorization_RequestDenied");
        assertThat(error.get("message").asText()).isEqualTo("Insufficient privileges to complete the operation.");
        assertThat(graphGet(weakToken, "/v1.0/organization").statusCode()).isEqualTo(200);
    }

    @Test
    void expiredTokensAndForeignAudiencesAreRejected() throws Exception {
        JWTClaimsSet valid = SignedJWT.parse(token).getJWTClaimsSet();
        Instant past = Instant.now().minus(Duration.ofHours(3));
        String expired = sign(new JWTClaimsSet.Builder(valid).issueTime(Date.from(past)).notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofHours(1)))).build());
        HttpResponse<String> r = graphGet(expired, "/v1.0/users");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(r).at("/error/message").asText()).contains("token is expired");
        String otherAudience = sign(new JWTClaimsSet.Builder(valid).audience("api://someone-else").build());
        assertThat(TestHttp.json(graphGet(otherAudience, "/v1.0/users")).at("/error/message").asText())
                .contains("Invalid audience");
        String usGov = sign(new JWTClaimsSet.Builder(valid).audience("https://graph.microsoft.us").build());
        assertThat(graphGet(usGov, "/v1.0/users").statusCode()).isEqualTo(200);
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        var key = sim.signingKeys().current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.kid()).build(), claims);
        jwt.sign(new RSASSASigner(key.jwk()));
        return jwt.serialize();
    }

    @Test
    void aTokenOnlySeesItsOwnTenant() {
        Fixture otherTenant = fixture("Elsewhere");
        JsonNode page = graphJson(appToken(otherTenant), "/v1.0/users");
        assertThat(page.get("value")).isEmpty();
        assertThat(graphGet(appToken(otherTenant), "/v1.0/users/" + guest.id()).statusCode()).isEqualTo(404);
    }

    @Test
    void requestIdsAndClientHeadersAreRecorded() {
        HttpResponse<String> r = graphGet(token, "/v1.0/users?$top=1", "client-request-id", "abc-123",
                "x-ms-throttle-priority", "Low", "Prefer", "odata.maxpagesize=1");
        assertThat(r.headers().firstValue("client-request-id")).contains("abc-123");
        assertThat(r.headers().firstValue("request-id")).isPresent();
        var recorded = sim.requests().last("/v1.0/users").orElseThrow();
        assertThat(recorded.header("x-ms-throttle-priority")).contains("Low");
        assertThat(recorded.header("Prefer")).contains("odata.maxpagesize=1");
        List<String> paths = new ArrayList<>();
        sim.requests().all("/v1.0/users").forEach(x -> paths.add(x.path()));
        assertThat(paths).isNotEmpty();
    }
}
