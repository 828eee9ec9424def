package dev.entrapbx.sync.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.graph.GraphTls;
import dev.entrapbx.graph.RetryPolicy;
import dev.entrapbx.simulator.EntraSimulator;
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
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A simulator with one tenant and an app token for it, and {@link GraphDirectory} clients against it
 * (short waits, so retries cost milliseconds): the Graph side of a unit test, without Keycloak.
 */
public final class SimulatedGraph implements AutoCloseable {

    /** Four retries (five requests at most), backoff from 10 ms, every wait capped at 200 ms (Retry-After too). */
    public static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(200),
            Duration.ofSeconds(30));

    private final EntraSimulator sim;
    private final String tenant;
    private final String token;

    private SimulatedGraph(EntraSimulator sim, String tenant, String token) {
        this.sim = sim;
        this.tenant = tenant;
        this.token = token;
    }

    public static SimulatedGraph start(String domain) throws Exception {
        EntraSimulator sim = EntraSimulator.builder().port(0).certDir(Path.of("target", "test-tls")).build().start();
        String tenant = sim.directory().createTenant(null, "Graph Test", domain).id();
        String secret = "s-" + System.nanoTime();
        AppRegistration app = sim.directory().createApp(tenant, AppRegistration.builder().displayName("t")
                .secret(secret, Instant.now().plus(1, ChronoUnit.DAYS)).permissions("User.Read.All", "Domain.Read.All", "GroupMember.Read.All"));
        HttpClient http = HttpClient.newBuilder().sslContext(sim.sslContext()).build();
        String form = "grant_type=client_credentials&client_id=" + app.appId() + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new SimulatedGraph(sim, tenant, new ObjectMapper().readTree(r.body()).path("access_token").asText());
    }

    public EntraSimulator sim() {
        return sim;
    }

    public String tenant() {
        return tenant;
    }

    /** A client with the {@link #FAST} policy. */
    public GraphDirectory directory() throws Exception {
        return directory(FAST);
    }

    public GraphDirectory directory(RetryPolicy policy) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream pem = Files.newInputStream(sim.trustAnchorPem())) {
            ks.setCertificateEntry("sim", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        return new GraphDirectory(sim.baseUrl() + "/v1.0", () -> token, new GraphTls(sim.sslContext().getSocketFactory(), tm), policy);
    }

    /** How many requests with this method and a path matching {@code pathRegex} the simulator has received (batch steps included). */
    public long requests(String method, String pathRegex) {
        return sim.requests().all("/").stream().filter(r -> r.method().equals(method) && r.path().matches(pathRegex)).count();
    }

    @Override
    public void close() {
        sim.close();
    }
}
