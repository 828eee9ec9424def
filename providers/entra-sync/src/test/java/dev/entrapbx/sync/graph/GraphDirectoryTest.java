package dev.entrapbx.sync.graph;

import dev.entrapbx.graph.GraphException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.sync.EntraUser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Graph SDK wiring against the simulator's Microsoft wire format, without Keycloak: delta
 * paging and removals, the headers we promise Graph, the one retry policy (requests counted),
 * broken and expired answers, photos in JSON batches and one by one.
 */
class GraphDirectoryTest {

    static SimulatedGraph graph;
    static EntraSimulator sim;
    static String tenant;
    static final List<String> SELECT = List.of("id", "userPrincipalName", "mail", "jobTitle", "accountEnabled",
            "onPremisesExtensionAttributes", "businessPhones");
    /** Requests one Graph request may cost: the first and {@link SimulatedGraph#FAST}'s 4 retries. */
    static final int MAX_REQUESTS = 1 + SimulatedGraph.FAST.maxRetries();
    static final String DELTA = "/v1\\.0/users/delta.*";
    static final String BATCH = "/v1\\.0/\\$batch";

    @BeforeAll
    static void start() throws Exception {
        graph = SimulatedGraph.start("graphtest.example");
        sim = graph.sim();
        tenant = graph.tenant();
        sim.directory().generateUsers(tenant, 2500, "graphtest.example", "load");
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
    }

    static GraphDirectory directory() throws Exception {
        return graph.directory();
    }

    /** Requests the simulator received from {@code run}, with this method and a path matching {@code pathRegex}. */
    static long requests(String method, String pathRegex, Runnable run) {
        long before = graph.requests(method, pathRegex);
        run.run();
        return graph.requests(method, pathRegex) - before;
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
        assertThat(g.photoBytes(withPhoto.id(), 1024).bytes()).isEqualTo(bytes);
        assertThat(g.photoBytes(withPhoto.id(), 1024).contentType()).isEqualTo("image/jpeg");
        assertThat(found.get(without.id())).as("404 ImageNotFound = no photo").isInstanceOf(GraphDirectory.NoPhoto.class);
        assertThat(sim.requests().last("/v1.0/$batch")).as("one JSON batch for both").isPresent();
        assertThatThrownBy(() -> g.photoBytes(withPhoto.id(), 10)).isInstanceOf(GraphException.class).hasMessageContaining("larger than");
        assertThatThrownBy(() -> g.photoBytes(without.id(), 1024)).isInstanceOf(GraphException.class)
                .satisfies(e -> assertThat(((GraphException) e).status()).isEqualTo(404));
    }

    @Test
    void groupsDeltaGivesEveryGroupWithItsMembersThenRenamesMembershipChangesAndDeletions() throws Exception {
        GraphDirectory g = directory();
        List<User> users = sim.directory().users(tenant);
        var sales = sim.directory().createGroup(tenant, dev.entrapbx.simulator.model.Group.builder().displayName("Sales")
                .mailNickname("sales"));
        var support = sim.directory().createGroup(tenant, dev.entrapbx.simulator.model.Group.builder().displayName("Support")
                .mailNickname("support"));
        for (int i = 0; i < 1200; i++) { // more members than a page: Graph repeats the group on the next page
            sim.directory().addMember(tenant, sales.id(), users.get(i).id());
        }
        sim.directory().addMember(tenant, sales.id(), support.id());
        sim.directory().addMember(tenant, support.id(), users.get(0).id());
        try {
            Map<String, List<String>> members = new java.util.HashMap<>();
            Map<String, String> names = new java.util.HashMap<>();
            List<String> nested = new ArrayList<>();
            String link = null;
            String deltaLink;
            int pages = 0;
            do {
                GraphDirectory.GroupDeltaPage p = g.groupsDelta(link);
                pages++;
                for (GraphDirectory.DeltaGroup d : p.groups()) {
                    members.computeIfAbsent(d.id(), k -> new ArrayList<>()).addAll(d.usersAdded());
                    if (d.displayName() != null) {
                        names.put(d.id(), d.displayName());
                    }
                    nested.addAll(d.groupsAdded());
                }
                link = p.nextLink();
                deltaLink = p.deltaLink();
            } while (link != null);
            assertThat(pages).isGreaterThan(1);
            assertThat(names).containsEntry(sales.id(), "Sales").containsEntry(support.id(), "Support");
            assertThat(members.get(sales.id())).hasSize(1200).doesNotHaveDuplicates();
            assertThat(members.get(support.id())).containsExactly(users.get(0).id());
            assertThat(nested).containsExactly(support.id());

            sim.directory().patchGroup(tenant, sales.id(), new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"displayName\": \"Sales EMEA\"}"));
            sim.directory().removeMember(tenant, sales.id(), users.get(5).id());
            sim.directory().addMember(tenant, support.id(), users.get(7).id());
            sim.directory().deleteGroup(tenant, support.id());
            GraphDirectory.GroupDeltaPage changes = g.groupsDelta(deltaLink);
            assertThat(changes.deltaLink()).isNotNull();
            GraphDirectory.DeltaGroup renamed = changes.groups().stream().filter(d -> d.id().equals(sales.id())).findFirst().orElseThrow();
            assertThat(renamed.displayName()).isEqualTo("Sales EMEA");
            assertThat(renamed.removed()).isNull();
            assertThat(renamed.usersRemoved()).containsExactly(users.get(5).id());
            assertThat(renamed.usersAdded()).isEmpty();
            GraphDirectory.DeltaGroup deleted = changes.groups().stream().filter(d -> d.id().equals(support.id())).findFirst().orElseThrow();
            assertThat(deleted.removed()).isEqualTo("deleted");

            assertThat(g.nestedGroups(sales.id())).isEmpty(); // Support is gone
            assertThat(g.groupDirectUsers(sales.id())).hasSize(1199);
            assertThat(g.userGroups(users.get(6).id())).containsExactly(sales.id());
            assertThat(g.group(sales.id())).get().extracting(GraphDirectory.GroupInfo::displayName).isEqualTo("Sales EMEA");
            assertThat(g.group("00000000-0000-4000-8000-00000000dead")).isEmpty();
        } finally {
            sim.directory().deleteGroup(tenant, sales.id());
        }
    }

    @Test
    void aTruncatedGroupsPageIsReportedNotSkipped() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/groups/delta").untilCleared().truncatedPage());
        assertThatThrownBy(() -> g.groupsDelta(null)).isInstanceOf(GraphException.class)
                .hasMessageContaining("GET /groups/delta");
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

    // ------------------------------------------------------------------ the one retry policy, requests counted

    @Test
    void aPermanentServiceUnavailableCostsOneRequestPlusTheRetriesAndKeepsGraphsError() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").untilCleared().serviceUnavailable(null));
        long sent = requests("GET", DELTA, () -> assertThatThrownBy(() -> g.usersDelta(null, SELECT))
                .isInstanceOfSatisfying(GraphException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).as("the OData error of a 5xx is kept, not a reason to stop retrying").isEqualTo("serviceNotAvailable");
                    assertThat(e.getMessage()).contains("503").contains("after 4 retries");
                }));
        assertThat(sent).as("1 + 4 retries, no second layer").isEqualTo(MAX_REQUESTS);
        assertThat(g.retries()).isEqualTo(4);
    }

    @Test
    void aGatewayTimeoutIsRetriedAndThenSucceeds() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").times(3).gatewayTimeout(null));
        long sent = requests("GET", DELTA, () -> assertThat(g.usersDelta(null, SELECT).users()).isNotEmpty());
        assertThat(sent).isEqualTo(4);
    }

    @Test
    void throttlingWaitsForRetryAfter() throws Exception {
        GraphDirectory g = directory(); // a wait is capped at 200 ms: Retry-After 1 waits 200 ms, never the 10 ms backoff
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").times(2).throttle(1));
        long t0 = System.nanoTime();
        long sent = requests("GET", DELTA, () -> assertThat(g.usersDelta(null, SELECT).users()).isNotEmpty());
        assertThat(sent).isEqualTo(3);
        assertThat(System.nanoTime() - t0).as("two waits of Retry-After, capped at 200 ms").isGreaterThanOrEqualTo(390_000_000L);

        GraphDirectory patient = graph.directory(new dev.entrapbx.graph.RetryPolicy(1, java.time.Duration.ofMillis(10),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30)));
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").times(1).throttle(1));
        long t1 = System.nanoTime();
        assertThat(patient.usersDelta(null, SELECT).users()).isNotEmpty();
        assertThat(System.nanoTime() - t1).as("Retry-After: 1 is a second when the cap allows it").isGreaterThanOrEqualTo(1_000_000_000L);

        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").untilCleared().throttle(0));
        long throttled = requests("GET", DELTA, () -> assertThatThrownBy(() -> g.usersDelta(null, SELECT))
                .isInstanceOfSatisfying(GraphException.class, e -> assertThat(e.status()).isEqualTo(429)));
        assertThat(throttled).as("a permanent 429 costs 1 + 4 requests").isEqualTo(MAX_REQUESTS);
    }

    @Test
    void aClientErrorAndAnInternalServerErrorAreNotRetried() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").untilCleared().status(400, null));
        assertThat(requests("GET", DELTA, () -> assertThatThrownBy(() -> g.usersDelta(null, SELECT))
                .isInstanceOfSatisfying(GraphException.class, e -> assertThat(e.status()).isEqualTo(400)))).isEqualTo(1);
        sim.faults().clear();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").untilCleared().status(500, null));
        assertThat(requests("GET", DELTA, () -> assertThatThrownBy(() -> g.usersDelta(null, SELECT))
                .isInstanceOfSatisfying(GraphException.class, e -> assertThat(e.status()).isEqualTo(500)))).isEqualTo(1);
        assertThat(g.retries()).isZero();
    }

    @Test
    void brokenAnswersAndDroppedConnectionsCostAtMostOneRequestPlusTheRetries() throws Exception {
        GraphDirectory g = directory();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").untilCleared().malformedJson());
        assertThat(requests("GET", DELTA, () -> assertThatThrownBy(() -> g.usersDelta(null, SELECT))
                .isInstanceOf(GraphException.class))).isEqualTo(MAX_REQUESTS);
        sim.faults().clear();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").untilCleared().truncatedPage());
        assertThat(requests("GET", DELTA, () -> assertThatThrownBy(() -> g.usersDelta(null, SELECT))
                .hasMessageContaining("incomplete answer"))).isEqualTo(MAX_REQUESTS);
        sim.faults().clear();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").untilCleared().connectionReset());
        assertThat(requests("GET", DELTA, () -> assertThatThrownBy(() -> g.usersDelta(null, SELECT))
                .isInstanceOfSatisfying(GraphException.class, e -> assertThat(e.status()).isZero()))).isEqualTo(MAX_REQUESTS);
        sim.faults().clear();
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").times(2).connectionClose());
        assertThat(requests("GET", DELTA, () -> assertThat(g.usersDelta(null, SELECT).users()).isNotEmpty())).isEqualTo(3);
    }

    // ------------------------------------------------------------------ photos: batches, retried and refused

    private static List<String> users(int from, int to) {
        return sim.directory().users(tenant).subList(from, to).stream().map(User::id).toList();
    }

    @Test
    void aBatchIsRetriedWithItsBodyAndAPermanentlyThrottledStepCostsOneBatchPlusTheRetries() throws Exception {
        GraphDirectory g = directory();
        List<String> ids = users(50, 53);
        String etag = sim.directory().setPhoto(tenant, ids.get(0), "a".getBytes(StandardCharsets.UTF_8), "image/png").etag();
        sim.faults().add(FaultRule.on("POST", "^/v1\\.0/\\$batch").times(2).serviceUnavailable(null));
        long[] batches = new long[1];
        long single = requests("GET", "/v1\\.0/users/[^/]+/photo", () -> batches[0] = requests("POST", BATCH, () -> {
            Map<String, GraphDirectory.PhotoLookup> found = g.photos(ids);
            assertThat(((GraphDirectory.PhotoFound) found.get(ids.get(0))).info().etag()).isEqualTo(etag);
            assertThat(found.get(ids.get(1))).isInstanceOf(GraphDirectory.NoPhoto.class);
        }));
        assertThat(batches[0]).as("the batch sent again, with its body").isEqualTo(3);
        assertThat(single).as("each step answered once, inside the third batch").isEqualTo(3);

        sim.faults().add(FaultRule.on("GET", "/users/" + ids.get(2) + "/photo$").untilCleared().throttle(0));
        long sent = requests("POST", BATCH, () -> {
            Map<String, GraphDirectory.PhotoLookup> found = g.photos(ids);
            assertThat(found.get(ids.get(0))).isInstanceOf(GraphDirectory.PhotoFound.class);
            GraphDirectory.PhotoFailed throttled = (GraphDirectory.PhotoFailed) found.get(ids.get(2));
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.reason()).contains("TooManyRequests").contains("after 4 retries");
        });
        assertThat(sent).as("the throttled step asked again in 4 more batches, no more").isEqualTo(MAX_REQUESTS);
    }

    @Test
    void aBatchGraphRefusesIsAskedUserByUser() throws Exception {
        GraphDirectory g = directory();
        List<String> ids = users(55, 58);
        String etag = sim.directory().setPhoto(tenant, ids.get(0), "b".getBytes(StandardCharsets.UTF_8), "image/gif").etag();
        sim.faults().add(FaultRule.on("POST", "^/v1\\.0/\\$batch").untilCleared().status(400, null));
        long[] batches = new long[1];
        long single = requests("GET", "/v1\\.0/users/[^/]+/photo", () -> batches[0] = requests("POST", BATCH, () -> {
            Map<String, GraphDirectory.PhotoLookup> found = g.photos(ids);
            GraphDirectory.PhotoInfo info = ((GraphDirectory.PhotoFound) found.get(ids.get(0))).info();
            assertThat(info.etag()).isEqualTo(etag);
            assertThat(info.contentType()).isEqualTo("image/gif");
            assertThat(found.get(ids.get(1))).isInstanceOf(GraphDirectory.NoPhoto.class);
            assertThat(found.get(ids.get(2))).isInstanceOf(GraphDirectory.NoPhoto.class);
        }));
        assertThat(batches[0]).as("a 400 is not retried").isEqualTo(1);
        assertThat(single).as("one GET /photo per user").isEqualTo(3);

        sim.faults().clear();
        sim.faults().add(FaultRule.on("POST", "^/v1\\.0/\\$batch").untilCleared().serviceUnavailable(null));
        single = requests("GET", "/v1\\.0/users/[^/]+/photo", () -> batches[0] = requests("POST", BATCH, () ->
                assertThat(g.photos(ids).get(ids.get(0))).isInstanceOf(GraphDirectory.PhotoFound.class)));
        assertThat(batches[0]).as("a 503 batch: 1 + 4 retries, then user by user").isEqualTo(MAX_REQUESTS);
        assertThat(single).isEqualTo(3);
    }

    @Test
    void whenTheUsersCannotBeAskedAloneEitherTheBatchsOwnErrorIsTheReason() throws Exception {
        GraphDirectory g = directory();
        List<String> ids = users(60, 63);
        sim.faults().add(FaultRule.on("POST", "^/v1\\.0/\\$batch").untilCleared().status(400, null));
        sim.faults().add(FaultRule.on("GET", "/photo$").tenant(tenant).untilCleared().serviceUnavailable(null));
        Map<String, GraphDirectory.PhotoLookup> out = new java.util.HashMap<>();
        long single = requests("GET", "/v1\\.0/users/[^/]+/photo", () -> out.putAll(g.photos(ids)));
        assertThat(single).as("the first user costs 1 + 4 requests; Graph is down, so the others are not asked").isEqualTo(MAX_REQUESTS);
        assertThat(out.values()).hasSize(3).allSatisfy(l -> {
            GraphDirectory.PhotoFailed f = (GraphDirectory.PhotoFailed) l;
            assertThat(f.status()).isEqualTo(503);
            assertThat(f.reason()).contains("POST /$batch answered 400 generalException").contains("503").doesNotContain("no response for this user");
        });
    }

    @Test
    void aPhotoIsReportedWithTheContentTypeGraphGivesIt() throws Exception {
        GraphDirectory g = directory();
        String id = users(65, 66).get(0);
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8);
        sim.directory().setPhoto(tenant, id, svg, "image/svg+xml");
        GraphDirectory.PhotoInfo info = ((GraphDirectory.PhotoFound) g.photos(List.of(id)).get(id)).info();
        assertThat(info.contentType()).as("not turned into image/jpeg").isEqualTo("image/svg+xml");
        assertThat(g.photoBytes(id, 1024).contentType()).isEqualTo("image/svg+xml");
        assertThat(((GraphDirectory.PhotoFound) g.photo(id)).info().contentType()).isEqualTo("image/svg+xml");
    }
}
