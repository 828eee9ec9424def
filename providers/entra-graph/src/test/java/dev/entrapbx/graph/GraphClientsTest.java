package dev.entrapbx.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.kiota.ApiException;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.http.RecordedRequest;
import dev.entrapbx.simulator.model.AppRegistration;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The two kinds of client against the simulator, counted in requests: the /domains read of the sync and of a sign-in. */
class GraphClientsTest {

    private static EntraSimulator sim;
    private static String token;
    private static GraphTls tls;

    @BeforeAll
    static void start() throws Exception {
        sim = EntraSimulator.builder().port(0).certDir(Path.of("target", "test-tls")).build().start();
        String tenant = sim.directory().createTenant(null, "Graph Test", "Contoso.example", "fabrikam.example").id();
        String secret = "s-" + System.nanoTime();
        AppRegistration app = sim.directory().createApp(tenant, AppRegistration.builder().displayName("t")
                .secret(secret, Instant.now().plus(1, ChronoUnit.DAYS)).permissions("Domain.Read.All"));
        HttpClient http = HttpClient.newBuilder().sslContext(sim.sslContext()).build();
        String form = "grant_type=client_credentials&client_id=" + app.appId() + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        token = new ObjectMapper().readTree(r.body()).path("access_token").asText();
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream pem = Files.newInputStream(sim.trustAnchorPem())) {
            ks.setCertificateEntry("sim", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        tls = new GraphTls(sim.sslContext().getSocketFactory(), (X509TrustManager) tmf.getTrustManagers()[0]);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
    }

    private static List<RecordedRequest> domainRequests() {
        return sim.requests().all("/").stream().filter(r -> r.path().equals("/v1.0/domains")).toList();
    }

    private static long sent(Runnable call) {
        long before = domainRequests().size();
        call.run();
        return domainRequests().size() - before;
    }

    @Test
    void theSyncsReadRetriesInOneLayerAtLowPriority() {
        GraphClients background = GraphClients.background(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50),
                Duration.ofSeconds(30)), tls);
        var client = background.client(sim.baseUrl() + "/v1.0", () -> token);
        assertThat(VerifiedDomains.read(client)).contains("contoso.example", "fabrikam.example").allMatch(d -> d.equals(d.toLowerCase(java.util.Locale.ROOT)));
        RecordedRequest last = domainRequests().get(domainRequests().size() - 1);
        assertThat(last.rawQuery()).contains("select=id,isVerified");
        assertThat(last.header(GraphRetryInterceptor.PRIORITY_HEADER)).contains("low");
        assertThat(last.header("Authorization")).contains("Bearer " + token);

        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/domains").untilCleared().serviceUnavailable(null));
        assertThat(sent(() -> assertThatThrownBy(() -> VerifiedDomains.read(client)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getResponseStatusCode()).isEqualTo(503)))).as("1 + 2 retries").isEqualTo(3);
        assertThat(background.retries()).isEqualTo(2);
    }

    @Test
    void aSignInsReadIsOneRequestWithoutRetriesNorLowPriority() {
        GraphClients interactive = GraphClients.interactive(Duration.ofSeconds(5), tls);
        var client = interactive.client(sim.baseUrl() + "/v1.0", () -> token);
        assertThat(VerifiedDomains.read(client)).contains("contoso.example", "fabrikam.example").allMatch(d -> d.equals(d.toLowerCase(java.util.Locale.ROOT)));
        assertThat(domainRequests().get(domainRequests().size() - 1).header(GraphRetryInterceptor.PRIORITY_HEADER)).isEmpty();

        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/domains").untilCleared().throttle(0));
        assertThat(sent(() -> assertThatThrownBy(() -> VerifiedDomains.read(client)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getResponseStatusCode()).isEqualTo(429)))).as("no retries").isEqualTo(1);
        assertThat(interactive.retries()).isZero();
    }
}
