package dev.entrapbx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.common.crypto.CryptoIntegration;

class EntraCertificateTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static EntraCertificate cert;

    @BeforeAll
    static void generate() {
        CryptoIntegration.init(EntraCertificateTest.class.getClassLoader());
        cert = EntraCertificate.generate("CN=entra-pbx demo/contoso-entra", Duration.ofDays(365), NOW);
    }

    @Test
    void generatedCertificateIsValidForTheRequestedTime() {
        assertThat(cert.notAfter()).isCloseTo(NOW.plus(365, ChronoUnit.DAYS), org.assertj.core.api.Assertions.within(1, ChronoUnit.SECONDS));
        assertThat(cert.expiry().state(NOW)).isEqualTo(CredentialExpiry.State.VALID);
        assertThat(cert.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(cert.toString()).doesNotContain("PRIVATE").contains("x5t#S256=");
    }

    @Test
    void pemRoundTripAndMismatchedKeysAreDetected() {
        EntraCertificate again = EntraCertificate.fromPem(cert.certificatePem(), cert.privateKeyPem());
        assertThat(again.thumbprintSha256()).isEqualTo(cert.thumbprintSha256());

        EntraCertificate other = EntraCertificate.generate("CN=other", Duration.ofDays(30), NOW);
        assertThatThrownBy(() -> EntraCertificate.fromPem(cert.certificatePem(), other.privateKeyPem()))
                .hasMessageContaining("does not belong to the certificate");
        assertThatThrownBy(() -> EntraCertificate.fromPem("not a cert", cert.privateKeyPem()))
                .hasMessageContaining("not a PEM-encoded X.509 certificate");
        assertThatThrownBy(() -> EntraCertificate.fromPem(cert.certificatePem(), "garbage"))
                .hasMessageContaining("not a PEM-encoded RSA private key");
    }

    @Test
    void clientAssertionCarriesX5tS256AndVerifiesWithTheCertificate() throws Exception {
        String jwt = cert.clientAssertion("3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9",
                "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token", NOW);
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));

        String expectedThumb = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.certificate().getEncoded()));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("x5t#S256").asText()).isEqualTo(expectedThumb);
        assertThat(claims.path("aud").asText()).isEqualTo("https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token");
        assertThat(claims.path("iss").asText()).isEqualTo(claims.path("sub").asText()).isEqualTo("3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9");
        assertThat(claims.path("exp").asLong() - claims.path("nbf").asLong()).isEqualTo(300);
        assertThat(claims.path("jti").asText()).isNotBlank();

        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(cert.certificate().getPublicKey());
        v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(v.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void sha1ThumbprintIsTheHexFormThePortalShows() {
        assertThat(cert.thumbprintSha1Hex()).matches("[0-9A-F]{40}");
    }
}
