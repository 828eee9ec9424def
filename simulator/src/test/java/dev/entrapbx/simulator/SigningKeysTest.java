package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import dev.entrapbx.simulator.tls.Certificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeysTest extends SimulatorTestSupport {
    private static Fixture fx;

    @BeforeAll
    static void seed() {
        fx = fixture("Keys");
    }

    private static JsonNode jwks(String tenant) {
        return TestHttp.json(http.get(sim.baseUrl() + "/" + tenant + "/discovery/v2.0/keys"));
    }

    @Test
    void jwksPublishesKidX5tX5cModulusExponentAndIssuer() throws Exception {
        JsonNode key = jwks(fx.tenantId()).get("keys").get(0);
        assertThat(key.get("kty").asText()).isEqualTo("RSA");
        assertThat(key.get("use").asText()).isEqualTo("sig");
        assertThat(key.get("kid").asText()).isEqualTo(key.get("x5t").asText());
        assertThat(key.get("n").asText()).isNotBlank();
        assertThat(key.get("e").asText()).isEqualTo("AQAB");
        assertThat(key.get("issuer").asText()).isEqualTo(sim.baseUrl() + "/" + fx.tenantId() + "/v2.0");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(new Base64(key.get("x5c").get(0).asText()).decode()));
        assertThat(Certificates.x5t(cert)).isEqualTo(key.get("kid").asText());
        RSAKey parsed = (RSAKey) JWKSet.parse(jwks(fx.tenantId()).toString()).getKeys().get(0);
        assertThat(parsed.toRSAPublicKey()).isEqualTo(cert.getPublicKey());
        assertThat(jwks("organizations").get("keys").get(0).get("issuer").asText())
                .isEqualTo(sim.baseUrl() + "/{tenantid}/v2.0");
    }

    @Test
    void rotationKeepingThePreviousKeyKeepsOldTokensValid() {
        String oldKid = sim.signingKeys().current().kid();
        String oldToken = appToken(fx);
        sim.rotateSigningKey(true);
        JsonNode keys = jwks(fx.tenantId()).get("keys");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).get("kid").asText()).isNotEqualTo(oldKid);
        assertThat(keys.get(1).get("kid").asText()).isEqualTo(oldKid);
        assertThat(graphGet(oldToken, "/v1.0/organization").statusCode()).isEqualTo(200);
        assertThat(appToken(fx)).isNotEqualTo(oldToken);
    }

    @Test
    void rotationDroppingThePreviousKeyInvalidatesItsTokens() {
        String oldToken = appToken(fx);
        String oldKid = sim.signingKeys().current().kid();
        sim.rotateSigningKey(false);
        JsonNode keys = jwks(fx.tenantId()).get("keys");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("kid").asText()).isNotEqualTo(oldKid);
        var r = graphGet(oldToken, "/v1.0/organization");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(r).at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(graphGet(appToken(fx), "/v1.0/organization").statusCode()).isEqualTo(200);
    }
}
