package dev.entrapbx.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.KeycloakCluster;
import dev.entrapbx.harness.Poll;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.harness.WebhookReceiver;
import dev.entrapbx.simulator.fault.FaultRule;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Keycloak nodes started as production starts them (kc.sh build, start --optimized, HTTPS,
 * jdbc-ping on PostgreSQL) behind a load balancer: what must hold when a PBX provider runs more
 * than one node. The node kill runs last.
 */
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int PERIOD_SECONDS = 10;

    KeycloakCluster cluster;
    TestRealm realm;

    @BeforeAll
    void setUp(KeycloakCluster cluster) {
        this.cluster = cluster;
        this.realm = TestRealm.create(admin(0), "cluster-it");
    }

    private KeycloakAdminClient admin(int node) {
        return cluster.server(node).admin();
    }

    /** The load balancer's address rewritten to node {@code node}'s own port (other hosts unchanged). */
    private URI onNode(URI u, int node) {
        if (u.getPort() != cluster.balancer().port()) {
            return u;
        }
        return URI.create(u.toString().replaceFirst("^https://localhost:" + u.getPort(), cluster.server(node).baseUrl()));
    }

    private static Map<String, String> cfg(String... kv) {
        return Customer.settings(kv);
    }

    @Test
    @Order(1)
    void aLoginStartedOnOneNodeFinishesOnTheOther() {
        realm.createUser("ann", "ann@cluster.example", true, "Passw0rd!ann");
        AtomicInteger node = new AtomicInteger(0);
        Browserless browser = new Browserless(cluster.simulator().sslContext()).route(u -> onNode(u, node.get()));
        Browserless.Page form = browser.get(URI.create(cluster.publicUrl() + "/realms/" + realm.name() + "/protocol/openid-connect/auth"
                + "?client_id=" + TestRealm.CLIENT_ID + "&response_type=code&scope=openid&redirect_uri=" + Browserless.enc(TestRealm.CLIENT_REDIRECT)));
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.uri().getPort()).isEqualTo(cluster.server(0).httpPort());
        assertThat(form.body()).as("links name the balancer, not the node").contains("https://localhost:" + cluster.balancer().port() + "/realms/");

        node.set(1);
        Browserless.Page end = browser.submit(form, "password", Map.of("username", "ann", "password", "Passw0rd!ann"));
        assertThat(end.uri().getPort()).isEqualTo(cluster.server(1).httpPort());
        assertThat(end.isRedirect()).as("node 2 finished the login node 1 started: " + end.body()).isTrue();
        assertThat(end.next().toString()).startsWith(TestRealm.CLIENT_REDIRECT);
        String code = Browserless.query(end.next()).get("code");
        var token = realm.tokenRequest(cluster.server(0).baseUrl(), "grant_type=authorization_code&client_id=" + TestRealm.CLIENT_ID
                + "&code=" + Browserless.enc(code) + "&redirect_uri=" + Browserless.enc(TestRealm.CLIENT_REDIRECT));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(token.body()).contains("\"id_token\"");

        // through Microsoft: leaves from node 1, Microsoft's answer lands on node 2
        Customer contoso = Customer.in(cluster.node(0), realm, "cluster-sso").create();
        String email = contoso.entraUser("bob").userPrincipalName();
        node.set(0);
        Browserless sso = new Browserless(cluster.simulator().sslContext()).route(u -> onNode(u, node.get()));
        Browserless.Page atMicrosoft = sso.follow(sso.get(realm.authorizationRequest(cluster.publicUrl(), contoso.idpAlias(), email)), "\u0000");
        assertThat(atMicrosoft.uri().toString()).startsWith(cluster.simulator().baseUrl());
        node.set(1);
        JsonNode tokens = Customer.atMicrosoft(cluster.node(1), realm, sso, atMicrosoft, email);
        assertThat(tokens.path("access_token").asText()).isNotEmpty();
        assertThat(realm.user(email).path("email").asText()).isEqualTo(email);
    }

    /**
     * Keycloak schedules a component's periodic sync on every node; it must run on one node per
     * period. The same for the credential expiry check (every 10 s here) and the deletion guard
     * (a periodic run that would remove too much holds once, not once per node).
     */
    @Test
    @Order(2)
    void scheduledWorkRunsOncePerClusterNotOncePerNode() throws Exception {
        Customer expiring = Customer.in(cluster.node(0), realm, "cluster-cred").create();
        expiring.updateIdp(Map.of("entraSecretExpiresOn", LocalDate.now().plusDays(10).toString()));
        Customer f = Customer.in(cluster.node(0), realm, "cluster-periodic").permissions(Customer.SYNC_PERMISSIONS).create();
        f.directory().generateUsers(f.tenantId(), 20, f.domain(), "p");
        var users = f.directory().users(f.tenantId());
        String id = f.createSync("cluster-periodic", cfg("syncPhotos", "false", "guardMaxUsers", "5", "guardMaxPercent", "0",
                "changedSyncPeriod", String.valueOf(PERIOD_SECONDS)));
        f.sync(id, true);
        long since = System.currentTimeMillis();

        Thread.sleep(Duration.ofSeconds(5 * PERIOD_SECONDS + 2).toMillis());
        List<Run> changed = runs(f, id, "changed", since);
        assertThat(changed.size()).as("changed runs in %d periods: %s", 5, changed).isBetween(2, 6);
        assertOncePerPeriod(changed);

        // Entra suddenly returns 8 users fewer: every periodic run from now on holds, once per period
        for (int i = 0; i < 8; i++) {
            f.directory().hardDeleteUser(f.tenantId(), users.get(i).id());
        }
        long guardSince = System.currentTimeMillis();
        // a run that started just before the deletions may hold too, so every guarded run since the
        // first sync counts; a run still going has its event but no end yet, so events count up to
        // the last finished guarded run's end. At least 3 periods, longer (up to 90 s) on a slow
        // machine until two guarded runs have ended
        List<Run> guarded;
        do {
            Thread.sleep(2_000);
            guarded = runs(f, id, "changed", since).stream().filter(r -> r.status.equals("GUARDED")).toList();
        } while (System.currentTimeMillis() < guardSince + 90_000
                && (guarded.size() < 2 || System.currentTimeMillis() < guardSince + (3 * PERIOD_SECONDS + 2) * 1000L));
        long periods = (System.currentTimeMillis() - guardSince) / (PERIOD_SECONDS * 1000L);
        assertThat(guarded.size()).as("guarded runs in %d periods; the run log: %s", periods, f.runs(id, 100))
                .isBetween(1, (int) periods + 2);
        assertThat(guarded.get(guarded.size() - 1).started().toEpochMilli()).isGreaterThanOrEqualTo(guardSince);
        assertOncePerPeriod(guarded);
        long lastEnd = guarded.get(guarded.size() - 1).ended().toEpochMilli();
        long guardEvents = 0;
        for (JsonNode e : admin(1).get("/" + realm.name() + "/admin-events?max=1000")) {
            long t = e.path("time").asLong();
            if ("ENTRA_SYNC_GUARD".equals(e.path("resourceType").asText()) && t >= since && t <= lastEnd) {
                guardEvents++;
            }
        }
        assertThat(guardEvents).as("one guard event per guarded run, not one per node: %s", guarded).isEqualTo(guarded.size());
        assertThat(f.members().values()).as("the guard removed nobody").allMatch(u -> u.path("enabled").asBoolean());
        admin(0).send("DELETE", "/" + realm.name() + "/components/" + id, null).expect(204);

        // the credential check ran every 10 s since the IdP was saved: once per period in the cluster
        List<Long> checks = new ArrayList<>();
        for (JsonNode e : admin(0).get("/" + realm.name() + "/admin-events?max=1000")) {
            if ("ENTRA_CREDENTIAL".equals(e.path("resourceType").asText()) && e.path("resourcePath").asText().endsWith("/" + expiring.idpAlias())) {
                checks.add(e.path("time").asLong());
            }
        }
        checks.sort(Comparator.naturalOrder());
        long seconds = (System.currentTimeMillis() - since) / 1000 + 15;
        assertThat(checks.size()).as("credential checks in %d s: %s", seconds, checks).isBetween(3, (int) (seconds / 10 + 1));
        for (int i = 1; i < checks.size(); i++) {
            assertThat(checks.get(i) - checks.get(i - 1)).as("two checks of one period (one per node)").isGreaterThan(5_000L);
        }
    }

    private record Run(String status, Instant started, Instant ended) {
    }

    private static List<Run> runs(Customer f, String id, String trigger, long since) {
        List<Run> out = new ArrayList<>();
        for (JsonNode r : f.runs(id, 100)) {
            if (r.path("endedAt").asText("").isEmpty()) {
                continue; // still running
            }
            Instant started = Instant.parse(r.path("startedAt").asText());
            if (trigger.equals(r.path("trigger").asText()) && started.toEpochMilli() >= since) {
                out.add(new Run(r.path("status").asText(), started, Instant.parse(r.path("endedAt").asText())));
            }
        }
        out.sort(Comparator.comparing(Run::started));
        return out;
    }

    /** Runs of one component never overlap and are at least half a period apart (two nodes in one period would not be). */
    private static void assertOncePerPeriod(List<Run> runs) {
        for (int i = 1; i < runs.size(); i++) {
            Run prev = runs.get(i - 1);
            Run next = runs.get(i);
            assertThat(next.started()).as("no overlap: %s", runs).isAfterOrEqualTo(prev.ended());
            assertThat(Duration.between(prev.started(), next.started()).toMillis()).as("once per period: %s", runs)
                    .isGreaterThanOrEqualTo(PERIOD_SECONDS * 1000L / 2);
        }
    }

    /**
     * Two components of one Organization sync at once, one on each node, into one extension range;
     * the Organization's webhook gets every change once, although both nodes deliver webhooks.
     */
    @Test
    @Order(3)
    void concurrentSyncsOnTwoNodesNeverGiveOneExtensionTwiceAndWebhooksArriveOnce() throws Exception {
        Customer f = Customer.in(cluster.node(0), realm, "cluster-conc").permissions(Customer.SYNC_PERMISSIONS).create();
        f.directory().generateUsers(f.tenantId(), 400, f.domain(), "a");
        Customer subsidiary = Customer.in(cluster.node(0), realm, "cluster-conc-b").displayName("Cluster Conc B")
                .permissions("User.Read.All", "Domain.Read.All").withoutIdp().withoutOrganization().create();
        f.directory().generateUsers(subsidiary.tenantId(), 400, subsidiary.domain(), "b");
        String a = f.createSync("cluster-conc-a", cfg("syncPhotos", "false", "extensionRange", "1000-2999"));
        String b = f.createSync("cluster-conc-b", cfg("syncPhotos", "false", "extensionRange", "1000-2999", "reuseIdpCredentials", "false",
                "entraTenant", subsidiary.tenantId(), "clientId", subsidiary.appId(), "clientSecret", subsidiary.secret(),
                "entraAuthorityHostOverride", cluster.simulator().baseUrl()));
        int enabled = f.enabledEntraUsers() + subsidiary.enabledEntraUsers();

        try (WebhookReceiver receiver = WebhookReceiver.start(cluster.node(0))) {
            admin(0).send("POST", "/" + realm.name() + "/pbx-directory/webhooks",
                    Map.of("url", receiver.url("/cluster"), "organization", f.orgAlias())).expect(201);
            Customer onSecond = Customer.existing(cluster.node(1), realm, f.orgAlias());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<JsonNode> fa = pool.submit(() -> f.sync(a, true));
                Future<JsonNode> fb = pool.submit(() -> onSecond.sync(b, true));
                assertThat(fa.get().path("added").asInt() + fb.get().path("added").asInt()).isEqualTo(enabled);
            } finally {
                pool.shutdownNow();
            }
            Map<String, JsonNode> m = f.members();
            assertThat(m).hasSize(enabled);
            assertThat(Customer.extensions(m)).hasSize(enabled).doesNotHaveDuplicates();

            // every member's change reaches the webhook, each event once
            assertThat(Poll.until(Duration.ofSeconds(90), () -> receiver.acknowledged("/cluster").size() >= enabled))
                    .as("all %d members announced", enabled).isTrue();
            Thread.sleep(3000); // a duplicate from the other node would arrive by now
            List<WebhookReceiver.Delivery> got = receiver.acknowledged("/cluster");
            assertThat(got.stream().map(WebhookReceiver.Delivery::id).distinct().count()).as("no event delivered twice")
                    .isEqualTo(got.size());
        }
    }

    /**
     * Keycloak's lock on a sync started from the console lasts 30 s (or one period); a run that takes
     * longer still holds the component: a second run started on the other node meanwhile is skipped,
     * and the first one ends as the only run, not marked INTERRUPTED by a newcomer.
     */
    @Test
    @Order(4)
    void aRunLongerThanKeycloaksLockStillHoldsTheComponentOnEveryNode() throws Exception {
        Customer f = Customer.in(cluster.node(0), realm, "cluster-long").permissions(Customer.SYNC_PERMISSIONS).create();
        f.directory().generateUsers(f.tenantId(), 2500, f.domain(), "l");
        String id = f.createSync("cluster-long", cfg("syncPhotos", "false"));
        cluster.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(f.tenantId()).untilCleared()
                .latency(Duration.ofSeconds(14)));
        JsonNode[] first = new JsonNode[1];
        Thread run = new Thread(() -> first[0] = f.trySync(id, true, Duration.ofSeconds(150)).expect(200).json());
        run.start();
        Customer onSecond = Customer.existing(cluster.node(1), realm, f.orgAlias());
        assertThat(Poll.until(Duration.ofSeconds(90), () -> {
            JsonNode runs = onSecond.runs(id, 1);
            return runs.size() == 1 && "RUNNING".equals(runs.get(0).path("status").asText())
                    && Instant.parse(runs.get(0).path("startedAt").asText()).isBefore(Instant.now().minusSeconds(34));
        })).as("a run older than Keycloak's 30-s lock").isTrue();

        JsonNode second = onSecond.sync(id, true);
        assertThat(second.path("ignored").asBoolean()).as("the second node's run is skipped: %s", second).isTrue();
        run.join(120_000);
        cluster.simulator().faults().clear();
        assertThat(first[0].path("added").asInt()).isEqualTo(f.enabledEntraUsers());
        JsonNode runs = onSecond.runs(id, 5);
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).path("status").asText()).isEqualTo("SUCCESS");
    }

    /**
     * Node 1 dies in the middle of a full sync; node 2's next run converges: every member once, each
     * with one extension, nobody disabled, and the cut-off run is INTERRUPTED in the run log.
     */
    @Test
    @Order(5)
    void aNodeKilledMidSyncLeavesTheOtherToConverge() {
        Customer f = Customer.in(cluster.node(0), realm, "cluster-kill").permissions(Customer.SYNC_PERMISSIONS).create();
        f.directory().generateUsers(f.tenantId(), 2000, f.domain(), "k");
        int enabled = f.enabledEntraUsers();
        String id = f.createSync("cluster-kill", cfg("syncPhotos", "false"));
        cluster.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(f.tenantId()).untilCleared()
                .latency(Duration.ofMillis(1500)));
        Thread run = new Thread(() -> {
            try {
                f.sync(id, true);
            } catch (RuntimeException cutOff) {
                // the kill ends the request
            }
        });
        run.start();
        Customer onSecond = Customer.existing(cluster.node(1), realm, f.orgAlias());
        boolean inProgress = Poll.until(Duration.ofSeconds(180), () -> {
            JsonNode runs = onSecond.runs(id, 1);
            return runs.size() == 1 && "RUNNING".equals(runs.get(0).path("status").asText()) && runs.get(0).path("added").asInt() > 0;
        });
        assertThat(inProgress).as("a run in progress on node 1 with users added").isTrue();
        cluster.kill(0);
        cluster.simulator().faults().clear();

        // node 2 takes over once the dead node's hold on the component is gone
        JsonNode[] result = new JsonNode[1];
        assertThat(Poll.until(Duration.ofMinutes(3), () -> {
            JsonNode r = onSecond.sync(id, true);
            result[0] = r;
            return !r.path("ignored").asBoolean(false);
        })).as("node 2 ran the sync").isTrue();
        assertThat(result[0].path("removed").asInt()).as("nothing removed").isZero();
        Map<String, JsonNode> m = onSecond.members();
        assertThat(m).hasSize(enabled);
        assertThat(m.values()).allMatch(u -> u.path("enabled").asBoolean());
        assertThat(Customer.extensions(m)).hasSize(enabled).doesNotHaveDuplicates();
        JsonNode runs = onSecond.runs(id, 2);
        assertThat(runs.get(0).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(runs.get(1).path("status").asText()).isEqualTo("INTERRUPTED");
    }
}
