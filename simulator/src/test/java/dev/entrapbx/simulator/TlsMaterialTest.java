package dev.entrapbx.simulator;

import dev.entrapbx.simulator.tls.Certificates;
import dev.entrapbx.simulator.tls.TlsMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TlsMaterialTest {
    @TempDir
    Path dir;

    @Test
    void restartReusesTheTrustAnchorAndServesHttpsOnly() throws Exception {
        String firstCa;
        try (EntraSimulator sim = EntraSimulator.builder().certDir(dir).build().start()) {
            assertThat(sim.baseUrl()).matches("https://127\\.0\\.0\\.1:\\d+");
            assertThat(sim.trustAnchorPem()).isEqualTo(dir.resolve("ca.pem"));
            assertThat(Files.exists(dir.resolve("server.p12"))).isTrue();
            firstCa = Files.readString(sim.trustAnchorPem());
            X509Certificate ca = Certificates.parseCertificate(firstCa);
            assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            HttpClient client = HttpClient.newBuilder().sslContext(sim.sslContext()).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sim/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            HttpResponse<String> viaLocalhost = client.send(HttpRequest.newBuilder(
                    URI.create(sim.baseUrl().replace("127.0.0.1", "localhost") + "/_sim/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(viaLocalhost.statusCode()).isEqualTo(200);
        }
        try (EntraSimulator again = EntraSimulator.builder().certDir(dir).build().start()) {
            assertThat(Files.readString(again.trustAnchorPem())).isEqualTo(firstCa);
        }
        Files.delete(dir.resolve("server.p12"));
        try (EntraSimulator reissued = EntraSimulator.builder().certDir(dir).build().start()) {
            assertThat(Files.readString(reissued.trustAnchorPem())).isEqualTo(firstCa);
            HttpClient client = HttpClient.newBuilder().sslContext(reissued.sslContext()).build();
            assertThat(client.send(HttpRequest.newBuilder(URI.create(reissued.baseUrl() + "/_sim/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void serverCertificateNamesLocalhostAndLoopbackAddresses() throws Exception {
        try (EntraSimulator sim = EntraSimulator.builder().certDir(dir).build().start()) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(dir.resolve("server.p12"))) {
                ks.load(in, TlsMaterial.KEYSTORE_PASSWORD.toCharArray());
            }
            X509Certificate leaf = (X509Certificate) ks.getCertificate("server");
            List<String> names = leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
            assertThat(names).contains("localhost", "127.0.0.1");
            assertThat(names).anyMatch(n -> n.startsWith("0:0:0:0:0:0:0:1"));
            leaf.verify(Certificates.parseCertificate(Files.readString(sim.trustAnchorPem())).getPublicKey());
        }
    }
}
