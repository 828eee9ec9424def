package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.identity.IdTokenDefect;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.BrowserFlow.Pkce;
import dev.entrapbx.simulator.support.BrowserFlow;
import dev.entrapbx.simulator.support.IdTokens;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each defect makes a relying party's standard ID token validation (or its nonce/tid checks) fail. */
class TokenTamperingTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static Fixture otherTenant;
    private static User user;

    @BeforeAll
    static void seed() {
        fx = fixture("Tamper");
        otherTenant = fixture("OtherTenant");
        user = user(fx, "victim");
    }

    private String idToken(String nonce) {
        BrowserFlow browser = new BrowserFlow(sim.sslContext(), sim.baseUrl());
        Pkce pkce = Pkce.create();
        Map<String, String> p = new LinkedHashMap<>(Map.of("client_id", fx.clientId(), "response_type", "code",
                "redirect_uri", fx.redirectUri(), "scope", "openid profile email", "nonce", nonce,
                "code_challenge", pkce.challenge(), "code_challenge_method", "S256"));
        HttpResponse<String> form = browser.open(BrowserFlow.authorizeUrl(sim.baseUrl(), fx.tenantId(), p));
        String code = BrowserFlow.redirectParams(browser.login(form, user.userPrincipalName(), PASSWORD)).get("code");
        JsonNode tokens = TestHttp.json(http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type",
                "authorization_code", "client_id", fx.clientId(), "client_secret", fx.secret(), "code", code,
                "redirect_uri", fx.redirectUri(), "code_verifier", pkce.verifier())));
        return tokens.get("id_token").asText();
    }

    private JWTClaimsSet validate(String idToken) throws Exception {
        return IdTokens.validate(http, sim.baseUrl() + "/" + fx.tenantId() + "/discovery/v2.0/keys", idToken,
                fx.clientId(), sim.baseUrl() + "/" + fx.tenantId() + "/v2.0");
    }

    @Test
    void anUntamperedTokenValidates() throws Exception {
        assertThat(validate(idToken("n1")).getStringClaim("nonce")).isEqualTo("n1");
    }

    @ParameterizedTest
    @EnumSource(value = IdTokenDefect.class, names = {"WRONG_ISSUER", "WRONG_AUDIENCE", "BAD_SIGNATURE", "EXPIRED",
            "UNKNOWN_KID", "MISSING_TID", "TID_OF_OTHER_TENANT"})
    void defectsBreakStandardValidation(IdTokenDefect defect) {
        sim.tampering().nextIdTokens(fx.clientId(), defect, 1);
        String token = idToken("n-" + defect);
        assertThatThrownBy(() -> validate(token)).as(defect.name()).isInstanceOf(Exception.class);
    }

    @Test
    void wrongNonceAndOtherTenantAreVisibleInTheClaims() throws Exception {
        sim.tampering().nextIdTokens(fx.clientId(), IdTokenDefect.WRONG_NONCE, 1);
        assertThat(validate(idToken("expected")).getStringClaim("nonce")).isNotEqualTo("expected");

        sim.tampering().nextIdTokens(fx.clientId(), IdTokenDefect.TID_OF_OTHER_TENANT, 1);
        JWTClaimsSet other = SignedJWT.parse(idToken("n")).getJWTClaimsSet();
        assertThat(other.getStringClaim("tid")).isNotEqualTo(fx.tenantId());
        assertThat(other.getIssuer()).isEqualTo(sim.baseUrl() + "/" + other.getStringClaim("tid") + "/v2.0");

        sim.tampering().nextIdTokens(fx.clientId(), IdTokenDefect.EXPIRED, 1);
        assertThat(SignedJWT.parse(idToken("n")).getJWTClaimsSet().getExpirationTime()).isBefore(new Date());
    }

    @Test
    void defectsApplyToTheNextNTokensOnly() throws Exception {
        sim.tampering().nextIdTokens(fx.clientId(), IdTokenDefect.WRONG_AUDIENCE, 2);
        assertThat(sim.tampering().pending(fx.clientId())).isEqualTo(2);
        idToken("a");
        idToken("b");
        assertThat(validate(idToken("c")).getAudience()).containsExactly(fx.clientId());
    }

    @Test
    void tamperingThroughTheControlApi() {
        HttpResponse<String> r = http.postJson(sim.baseUrl() + "/_sim/tamper",
                "{\"clientId\":\"" + fx.clientId() + "\",\"defect\":\"missing_tid\",\"count\":1}");
        assertThat(r.statusCode()).isEqualTo(200);
        String token = idToken("n");
        assertThatThrownBy(() -> validate(token)).isInstanceOf(Exception.class);
    }
}
