package dev.entrapbx.sync.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.sync.EntraUser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Graph SDK wiring against the simulator's Microsoft wire format, without Keycloak: delta
 * paging and removals, the headers we promise Graph, throttling, broken and expired answers.
 */
class GraphDirectoryTest {

    static EntraSimulator sim;
    static String tenant;
    static String token;
    static final List<String> SELECT = List.of("id", "userPrincipalName", "mail", "jobTitle", "accountEnabled",
            "onPremisesExtensionAttributes", "businessPhones");

    @BeforeAll
    static void start() throws Exception {
        sim = EntraSimulator.builder().port(0).certDir(Path.of("target", "test-tls")).build().start();
        tenant = sim.directory().createTenant(null, "Graph Test", "graphtest.example").id();
        String secret = "s-" + System.nanoTime();
        AppRegistration app = sim.directory().createApp(tenant, AppRegistration.builder().displayName("t")
                .secret(secret, Instant.now().plus(1, ChronoUnit.DAYS)).permissions("User.Read.All", "Domain.Read.All"));
        HttpClient http = HttpClient.newBuilder().sslContext(sim.sslContext()).build();
        String form = "grant_type=client_credentials&client_id=" + app.appId() + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        token = new ObjectMapper().readTree(r.body()).path("access_token").asText();
        sim.directory().generateUsers(tenant, 2500, "graphtest.example", "load");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
    }

    static GraphDirectory directory() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("sim", java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(java.nio.file.Files.newInputStream(sim.trustAnchorPem())));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        return new GraphDirectory(sim.baseUrl() + "/v1.0", () -> token, sim.sslContext().getSocketFactory(), tm,
                new GraphDirectory.RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(30)));
    }

    private static List<EntraUser> round(GraphDirectory g, String link, String[] deltaOut) {
        List<EntraUser> all = new ArrayList<>();
        String next = link;
        while (true) {
            GraphDirectory.DeltaPage p = g.usersDelta(next, SELECT);
            all.addAll(p.users());
            if (p.nextLink() == null) {
                deltaOut[0] = p.deltaLink();
                return all;
            }
            next = p.nextLink();
        }
    }

    @Test
    void aDeltaRoundPagesAt999AndTheNextRoundHasOnlyTheChanges() throws Exception {
        GraphDirectory g = directory();
        String[] delta = new String[1];
        List<EntraUser> first = round(g, null, delta);
        assertThat(first).hasSize(2500);
        assertThat(sim.requests().last("/v1.0/users/delta").orElseThrow().header("Prefer")).contains("odata.maxpagesize=999");
        assertThat(sim.requests().last("/v1.0/users/delta").orElseThrow().header("x-ms-throttle-priority")).contains("low");
        assertThat(sim.requests().all("/v1.0/users/delta")).hasSizeGreaterThanOrEqualTo(3);

        User changed = sim.directory().users(tenant).get(5);
        sim.directory().patchUser(tenant, changed.id(), java.util.Map.of("jobTitle", "Agent",
                "onPremisesExtensionAttributes", java.util.Map.of("extensionAttribute2", "x")));
        User gone = sim.directory().users(tenant).get(6);
        sim.directory().hardDeleteUser(tenant, gone.id());
        List<EntraUser> second = round(g, delta[0], delta);
        assertThat(second).hasSize(2);
        EntraUser c = second.stream().filter(u -> u.id().equals(changed.id())).findFirst().orElseThrow();
        assertThat(c.first("jobTitle")).contains("Agent");
        assertThat(c.first("extensionAttribute2")).contains("x");
        EntraUser r = second.stream().filter(u -> u.id().equals(gone.id())).findFirst().orElseThrow();
        assertThat(r.removed()).isTrue();
        assertThat(r.removedReason()).isEqualTo("deleted");
    }

    @Test
    void photoRequestsThrottledInsideABatchAreAskedAgainAfterTheirRetryAfter() throws Exception {
        GraphDirectory g = directory();
        List<String> ids = sim.directory().users(tenant).subList(20, 40).stream().map(User::id).toList();
        sim.faults().add(FaultRule.on("GET", "/photo$").tenant(tenant).times(3).throttle(1));
        int retriesBefore = g.retries();
        long t0 = System.nanoTime();
        Map<String, GraphDirectory.PhotoLookup> found = g.photos(ids);
        assertThat(found).hasSize(20).allSatisfy((id, l) -> assertThat(l).isInstanceOf(GraphDirectory.NoPhoto.class));
        assertThat(g.retries() - retriesBefore).as("one wait for the three throttled steps").isEqualTo(1);
        assertThat(System.nanoTime() - t0).as("Retry-After: 1, capped by the policy at 200 ms").isGreaterThanOrEqualTo(190_000_000L);

        sim.faults().add(FaultRule.on("GET", "/photo$").tenant(tenant).untilCleared().status(403, null));
        Map<String, GraphDirectory.PhotoLookup> refused = g.photos(ids.subList(0, 2));
        assertThat(refused.values()).allSatisfy(l -> assertThat(((GraphDirectory.PhotoFailed) l).status()).isEqualTo(403));
        assertThat(((GraphDirectory.PhotoFailed) refused.get(ids.get(0))).reason()).contains("403").contains("permission");
        assertThatThrownBy(() -> g.photos(sim.directory().users(tenant).subList(0, 21).stream().map(User::id).toList()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPhotoIsDescribedByItsMediaEtagAndReadOnlyWithinTheSizeLimit() throws Exception {
        GraphDirectory g = directory();
        User withPhoto = sim.directory().users(tenant).get(10);
        User without = sim.directory().users(tenant).get(11);
        byte[] bytes = "not really a jpeg, but bytes".getBytes(StandardCharsets.UTF_8);
        String etag = sim.directory().setPhoto(tenant, withPhoto.id(), bytes, "image/jpeg").etag();

        Map<String, GraphDirectory.PhotoLookup> found = g.photos(List.of(withPhoto.id(), without.id()));
        GraphDirectory.PhotoInfo info = ((GraphDirectory.PhotoFound) found.get(withPhoto.id())).info();
        assertThat(info.etag()).isEqualTo(etag);
        assertThat(info.contentType()).isEqualTo("image/jpeg");
        assertThat(g.photoBytes(withPhoto.id(), 1024)).isEqualTo(bytes);
        assertThat(found.get(without.id())).as("404 ImageNotFound = no photo").isInstanceOf(GraphDirectory.NoPhoto.class);
        assertThat(sim.requests().last("/v1.0/$batch")).as("one JSON batch for both").isPresent();
        assertThatThrownBy(() -> g.photoBytes(withPhoto.id(), 10)).isInstanceOf(GraphException.class).hasMessageContaining("larger than");
        assertThatThrownBy(() -> g.photoBytes(without.id(), 1024)).isInstanceOf(GraphException.class)
                .satisfies(e -> assertThat(((GraphException) e).status()).isEqualTo(404));
    }

    @Test
    void throttlingIsRetriedAfterRetryAfterAndCounted() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").times(2).throttle(0));
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").times(1).serviceUnavailable(null));
        GraphDirectory.DeltaPage p = g.usersDelta(null, SELECT);
        assertThat(p.users()).isNotEmpty();
        assertThat(g.retries()).isEqualTo(3);
    }

    @Test
    void aTruncatedPageIsReportedNotSkipped() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").untilCleared().truncatedPage());
        assertThatThrownBy(() -> g.usersDelta(null, SELECT)).isInstanceOf(GraphException.class)
                .hasMessageContaining("incomplete answer");
    }

    @Test
    void malformedJsonIsRetriedThenSucceeds() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").times(1).malformedJson());
        assertThat(g.usersDelta(null, SELECT).users()).isNotEmpty();
    }

    @Test
    void anExpiredDeltaTokenIsRecognised() throws Exception {
        GraphDirectory g = directory();
        String[] delta = new String[1];
        round(g, null, delta);
        sim.directory().expireDeltaTokens(tenant);
        assertThatThrownBy(() -> g.usersDelta(delta[0], SELECT)).isInstanceOfSatisfying(GraphException.class,
                e -> assertThat(e.deltaTokenExpired()).as(e.getMessage()).isTrue());
    }

    @Test
    void aMissingPermissionSaysWhichToGrant() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").times(1).status(403, null));
        assertThatThrownBy(() -> g.usersDelta(null, SELECT)).isInstanceOfSatisfying(GraphException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).contains("User.Read.All");
        });
    }
}
