package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.PbxDirectoryClient;
import dev.entrapbx.harness.Poll;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.harness.WebhookReceiver;
import dev.entrapbx.simulator.model.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks of the PBX directory against a local HTTPS receiver that verifies each delivery as a
 * Standard Webhooks consumer does: deliveries of a changed sync in feed order, retries after the
 * receiver failed, a Keycloak crash mid-delivery, disable after a run of failures, the secret shown
 * once and rotated with an overlap.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    EntraPbxStack stack;
    TestRealm realm;
    PbxDirectoryClient pbx;
    WebhookReceiver receiver;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.realm = TestRealm.create(stack.keycloak().admin(), "webhook-it");
        this.pbx = PbxDirectoryClient.create(admin(), stack.keycloak().baseUrl(), realm.name(), "webhook-it-pbx", true, null);
        this.receiver = WebhookReceiver.start(stack);
    }

    @AfterAll
    void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    /** The current server's admin client (a test restarts Keycloak). */
    private KeycloakAdminClient admin() {
        return stack.keycloak().admin();
    }

    private String hooks() {
        return "/" + realm.name() + "/pbx-directory/webhooks";
    }

    private JsonNode createHook(String path, String organization, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", receiver.url(path));
        if (organization != null) {
            body.put("organization", organization);
        }
        body.putAll(extra);
        return admin().send("POST", hooks(), body).expect(201).json();
    }

    private Customer customer(String name) {
        return Customer.in(stack, realm, name).permissions(Customer.SYNC_PERMISSIONS).create();
    }

    /** A change in the phone system from the admin API: the member's extension set to {@code extension}. */
    private void setExtension(Customer f, String username, String extension) {
        JsonNode u = f.user(username);
        ObjectNode edit = u.deepCopy();
        ObjectNode attributes = edit.path("attributes").isObject() ? (ObjectNode) edit.get("attributes") : edit.putObject("attributes");
        attributes.set("extension", JSON.valueToTree(List.of(extension)));
        admin().send("PUT", "/" + realm.name() + "/users/" + u.path("id").asText(), edit).expect(204);
    }

    @Test
    void theSecretIsShownOnceHttpIsRefusedAndARotationSignsWithBothSecrets() {
        Customer f = customer("hook-secret");
        f.localMember("ann@hook-secret.example", "ann@hook-secret.example", "Passw0rd!local");

        KeycloakAdminClient.Response http = admin().send("POST", hooks(), Map.of("url", receiver.url("/s").replace("https:", "http:")));
        assertThat(http.status()).isEqualTo(400);
        assertThat(http.json().path("error").asText()).isEqualTo("invalid_webhook");
        assertThat(http.json().path("error_description").asText()).contains("must use https");
        KeycloakAdminClient.Response noOrg = admin().send("POST", hooks(), Map.of("url", receiver.url("/s"), "organization", "no-such-org"));
        assertThat(noOrg.status()).isEqualTo(400);
        assertThat(noOrg.json().path("error_description").asText()).contains("no-such-org");

        JsonNode created = createHook("/s", f.orgAlias(), Map.of("description", "secret test"));
        String id = created.path("id").asText();
        String secret = created.path("secret").asText();
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(30);
        JsonNode read = admin().get(hooks() + "/" + id);
        assertThat(read.path("secret").asText()).isEqualTo("whsec_********");
        assertThat(read.path("phoneSystem").path("alias").asText()).isEqualTo(f.orgAlias());
        assertThat(read.path("positions")).hasSize(1);
        assertThat(admin().send("GET", hooks(), null).expect(200).body()).doesNotContain(secret.substring(6)).contains("whsec_********");

        setExtension(f, "ann@hook-secret.example", "7001");
        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/s").size() == 1)).isTrue();
        WebhookReceiver.Delivery first = receiver.acknowledged("/s").get(0);
        assertThat(first.verifies(secret)).isTrue();
        assertThat(first.signature().split(" ")).hasSize(1);

        JsonNode rotated = admin().send("POST", hooks() + "/" + id + "/rotate-secret", Map.of("overlapSeconds", 3600)).expect(200).json();
        String fresh = rotated.path("secret").asText();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(rotated.path("previousSecretValidUntil").isNull()).isFalse();
        assertThat(admin().get(hooks() + "/" + id).path("secret").asText()).isEqualTo("whsec_********");

        setExtension(f, "ann@hook-secret.example", "7002");
        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/s").size() == 2)).isTrue();
        WebhookReceiver.Delivery second = receiver.acknowledged("/s").get(1);
        assertThat(second.signature().split(" ")).as("both signatures during the overlap").hasSize(2);
        assertThat(second.verifies(fresh)).isTrue();
        assertThat(second.verifies(secret)).as("a receiver still on the old secret").isTrue();
        assertThat(second.verifies("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).as("another secret").isFalse();

        admin().send("POST", hooks() + "/" + id + "/rotate-secret", Map.of("overlapSeconds", 0)).expect(200);
        assertThat(admin().send("DELETE", hooks() + "/" + id, null).status()).isEqualTo(204);
        assertThat(admin().send("GET", hooks() + "/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void aChangedSyncIsDeliveredInFeedOrderSignedAndAnAdminEditWithLowLag() {
        JsonNode realmWide = createHook("/all", null, Map.of());
        Customer f = customer("hook-sync");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add(f.entraUser("p" + i));
        }
        String sync = f.createSync("hook-sync-sync", Map.of("extensionRange", "800-899"));
        f.sync(sync, true);
        List<String> cursor = new ArrayList<>();
        pbx.readAll(f.orgAlias(), 100, cursor);
        JsonNode hook = createHook("/sync", f.orgAlias(), Map.of());
        String secret = hook.path("secret").asText();

        f.directory().patchUser(f.tenantId(), users.get(0).id(), Map.of("jobTitle", "Team lead"));
        f.directory().patchUser(f.tenantId(), users.get(1).id(), Map.of("accountEnabled", false));
        f.entraUser("newhire");
        f.sync(sync, false);
        List<JsonNode> feed = pbx.changesAfter(f.orgAlias(), cursor.get(0), 100, null);
        assertThat(feed).hasSize(3);

        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/sync").size() >= 3)).isTrue();
        List<WebhookReceiver.Delivery> got = receiver.acknowledged("/sync");
        assertThat(got).hasSize(3);
        for (int i = 0; i < 3; i++) {
            WebhookReceiver.Delivery d = got.get(i);
            JsonNode body = d.json();
            assertThat(d.verifies(secret)).as("signature of " + d.id()).isTrue();
            assertThat(body.path("type").asText()).isEqualTo(feed.get(i).path("type").asText());
            assertThat(Instant.parse(body.path("timestamp").asText())).isNotNull();
            JsonNode data = body.path("data");
            assertThat(data.path("phoneSystem").path("alias").asText()).isEqualTo(f.orgAlias());
            assertThat(data.path("phoneSystem").path("id").asText()).isEqualTo(f.orgId());
            ObjectNode row = data.deepCopy();
            row.remove("phoneSystem");
            assertThat(row).as("the feed row as the API renders it").isEqualTo(feed.get(i));
        }
        assertThat(got.stream().map(WebhookReceiver.Delivery::id).distinct().count()).isEqualTo(3);

        // the realm-wide webhook saw this phone system's feed from its start, the same three at its end
        assertThat(Poll.until(WAIT, () -> tailCursors(of(receiver.acknowledged("/all"), f.orgId()), 3).equals(cursors(feed)))).isTrue();
        List<Long> seqs = of(receiver.acknowledged("/all"), f.orgId()).stream().map(d -> seq(d.json().path("data").path("cursor").asText())).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("no gap, no repeat").isEqualTo(seqs.get(i - 1) + 1);
        }
        assertThat(admin().get(hooks() + "/" + realmWide.path("id").asText()).path("positions").get(0).path("phoneSystem").path("alias").asText())
                .isEqualTo(f.orgAlias());

        // lag from an admin edit's commit to the delivery
        List<Long> lags = new ArrayList<>();
        List<Long> fromCommit = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int before = receiver.acknowledged("/sync").size();
            long t0 = System.currentTimeMillis();
            setExtension(f, "p2@hook-sync.example", "89" + i);
            assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/sync").size() == before + 1)).isTrue();
            WebhookReceiver.Delivery d = receiver.acknowledged("/sync").get(before);
            lags.add(d.receivedAtMillis() - t0);
            fromCommit.add(d.receivedAtMillis() - Instant.parse(d.json().path("data").path("at").asText()).toEpochMilli());
        }
        System.out.printf("[WebhookIT] delivery lag after an admin edit, ms: from the admin request %s, from the feed row's commit %s%n", lags,
                fromCommit);

        JsonNode log = admin().get(hooks() + "/" + hook.path("id").asText() + "/deliveries");
        assertThat(log).hasSize(8);
        burstArrivesInOrder(f, sync);
        assertThat(log.get(0).path("delivered").asBoolean()).isTrue();
        assertThat(log.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(log.get(7).path("webhookId").asText()).isEqualTo(got.get(0).id());
        assertThat(log.get(7).path("phoneSystem").path("alias").asText()).isEqualTo(f.orgAlias());
    }

    /** A changed sync adding 40 users: all 40 rows arrive in feed order; prints the rate of one (webhook, phone system). */
    private void burstArrivesInOrder(Customer f, String sync) {
        int n = 40;
        int before = receiver.acknowledged("/sync").size();
        List<String> start = new ArrayList<>();
        pbx.readAll(f.orgAlias(), 1000, start);
        for (int i = 0; i < n; i++) {
            f.entraUser("burst" + i);
        }
        f.sync(sync, false);
        long t0 = System.currentTimeMillis();
        List<JsonNode> feed = pbx.changesAfter(f.orgAlias(), start.get(0), 1000, null);
        assertThat(feed).hasSize(n);
        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/sync").size() == before + n)).isTrue();
        List<WebhookReceiver.Delivery> got = receiver.acknowledged("/sync").subList(before, before + n);
        assertThat(cursors(got.stream().map(d -> d.json().path("data")).toList())).isEqualTo(cursors(feed));
        long first = Instant.parse(feed.get(0).path("at").asText()).toEpochMilli();
        long span = got.get(n - 1).receivedAtMillis() - Math.min(first, t0);
        double http = 0;
        for (JsonNode e : admin().get(hooks() + "/" + admin().get(hooks() + "?organization=" + f.orgAlias()).get(0).path("id").asText()
                + "/deliveries?max=" + n)) {
            http += e.path("durationMillis").asLong();
        }
        System.out.printf("[WebhookIT] burst of %d changes to one webhook: last delivered %d ms after the first commit, %d ms after the sync"
                + " returned (%.0f deliveries/s); HTTP %.1f ms per delivery on average%n", n, span, got.get(n - 1).receivedAtMillis() - t0,
                n * 1000.0 / Math.max(1, span), http / n);
    }

    @Test
    void aFailingReceiverGetsRetriesAndThenEverythingInOrder() {
        Customer f = customer("hook-retry");
        JsonNode hook = createHook("/retry", f.orgAlias(), Map.of());
        String secret = hook.path("secret").asText();
        receiver.failNext("/retry", 4, 500);
        for (int i = 0; i < 3; i++) {
            f.localMember("r" + i + "@hook-retry.example", "r" + i + "@hook-retry.example", "Passw0rd!local");
        }
        List<JsonNode> feed = pbx.changesAfter(f.orgAlias(), "0", 100, null);
        assertThat(feed).hasSize(3);

        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/retry").size() >= 3)).isTrue();
        List<WebhookReceiver.Delivery> all = receiver.at("/retry");
        assertThat(all).hasSize(7);
        assertThat(all.subList(0, 4)).allMatch(d -> d.status() == 500);
        assertThat(all.subList(0, 5)).extracting(WebhookReceiver.Delivery::id).as("the same event until it is acknowledged").containsOnly(all.get(0).id());
        assertThat(all).allMatch(d -> d.verifies(secret));
        assertThat(cursors(receiver.acknowledged("/retry").stream().map(d -> d.json().path("data")).toList())).isEqualTo(cursors(feed));

        JsonNode log = admin().get(hooks() + "/" + hook.path("id").asText() + "/deliveries");
        List<String> attempts = new ArrayList<>();
        for (int i = log.size() - 1; i >= 0; i--) {
            attempts.add(log.get(i).path("attempt").asInt() + ":" + log.get(i).path("status").asInt());
        }
        assertThat(attempts).containsExactly("1:500", "2:500", "3:500", "4:500", "5:200", "1:200", "1:200");
        JsonNode view = admin().get(hooks() + "/" + hook.path("id").asText());
        assertThat(view.path("enabled").asBoolean()).isTrue();
        assertThat(view.path("positions").get(0).path("failures").asInt()).isZero();
        assertThat(view.path("positions").get(0).path("pending").asInt()).isZero();
    }

    @Test
    void aRunOfFailuresDisablesTheWebhookWithAnAdminEventAndReEnablingResumes() {
        admin().send("PUT", "/" + realm.name(), Map.of("adminEventsEnabled", true, "adminEventsDetailsEnabled", true)).expect(204);
        Customer f = customer("hook-disable");
        JsonNode hook = createHook("/disable", f.orgAlias(), Map.of("disableAfterFailures", 3));
        String id = hook.path("id").asText();
        receiver.failNext("/disable", 1000, 503);
        f.localMember("d0@hook-disable.example", "d0@hook-disable.example", "Passw0rd!local");
        f.localMember("d1@hook-disable.example", "d1@hook-disable.example", "Passw0rd!local");

        assertThat(Poll.until(WAIT, () -> !admin().get(hooks() + "/" + id).path("enabled").asBoolean())).isTrue();
        JsonNode off = admin().get(hooks() + "/" + id);
        assertThat(off.path("disabledReason").asText()).contains("3 consecutive failed deliveries").contains("HTTP 503");
        assertThat(receiver.at("/disable")).hasSize(3);
        JsonNode events = admin().get("/" + realm.name() + "/admin-events?max=200");
        boolean found = false;
        for (JsonNode e : events) {
            if ("PBX_WEBHOOK".equals(e.path("resourceType").asText()) && e.path("resourcePath").asText().endsWith(id)
                    && "ACTION".equals(e.path("operationType").asText())) {
                found = true;
            }
        }
        assertThat(found).as("admin event of the disable: " + events).isTrue();

        receiver.failNext("/disable", 0, 503);
        JsonNode on = admin().send("PUT", hooks() + "/" + id, Map.of("enabled", true)).expect(200).json();
        assertThat(on.path("enabled").asBoolean()).isTrue();
        assertThat(on.path("disabledReason").isNull() || on.path("disabledReason").isMissingNode()).isTrue();
        assertThat(on.path("positions").get(0).path("failures").asInt()).isZero();
        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/disable").size() == 2)).isTrue();
        List<JsonNode> feed = pbx.changesAfter(f.orgAlias(), "0", 100, null);
        assertThat(cursors(receiver.acknowledged("/disable").stream().map(d -> d.json().path("data")).toList())).isEqualTo(cursors(feed));
    }

    @Test
    void aKeycloakCrashMidDeliveryRepeatsNoAcknowledgedEventAndDeliversThePendingOnes() {
        Customer f = customer("hook-crash");
        JsonNode hook = createHook("/crash", f.orgAlias(), Map.of());
        String secret = hook.path("secret").asText();
        receiver.delay("/crash", 3_000);
        int n = 8;
        for (int i = 0; i < n; i++) {
            f.localMember("c" + i + "@hook-crash.example", "c" + i + "@hook-crash.example", "Passw0rd!local");
        }
        List<JsonNode> feed = pbx.changesAfter(f.orgAlias(), "0", 100, null);
        assertThat(feed).hasSize(n);

        // crash while an event is in flight, 2 s after the previous one was acknowledged: H2 (dev-file) makes a commit durable
        // within about a second, so a kill right after a commit could lose it (PostgreSQL would not)
        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/crash").size() >= 2 && receiver.inFlight() > 0
                && receiver.sinceLastArrivalMillis() >= 2_000)).isTrue();
        stack.crashAndRestartKeycloak();
        assertThat(Poll.until(WAIT, () -> receiver.inFlight() == 0)).isTrue();
        List<String> beforeRestart = receiver.acknowledged("/crash").stream().map(WebhookReceiver.Delivery::id).toList();
        receiver.delay("/crash", 0);
        assertThat(beforeRestart.size()).as("some delivered before the crash, some pending").isBetween(2, n - 1);

        assertThat(Poll.until(Duration.ofSeconds(120), () -> new HashSet<>(ids(receiver.acknowledged("/crash"))).size() == n)).isTrue();
        List<WebhookReceiver.Delivery> all = receiver.acknowledged("/crash");
        List<String> afterRestart = ids(all.subList(beforeRestart.size(), all.size()));
        Set<String> repeated = new LinkedHashSet<>(afterRestart);
        repeated.retainAll(beforeRestart);
        assertThat(repeated).as("at most the one in flight at the crash is sent again").isSubsetOf(List.of(beforeRestart.get(beforeRestart.size() - 1)));
        assertThat(all).allMatch(d -> d.verifies(secret));
        List<String> firstSeen = new ArrayList<>(new LinkedHashSet<>(ids(all)));
        List<String> feedOrder = all.stream().collect(java.util.stream.Collectors.toMap(WebhookReceiver.Delivery::id,
                d -> d.json().path("data").path("cursor").asText(), (a, b) -> a, LinkedHashMap::new)).values().stream().toList();
        assertThat(feedOrder).as("in feed order").isEqualTo(cursors(feed));
        assertThat(firstSeen).hasSize(n);

        JsonNode log = admin().get(hooks() + "/" + hook.path("id").asText() + "/deliveries");
        List<String> acknowledgedByKeycloak = new ArrayList<>();
        log.forEach(e -> {
            if (e.path("delivered").asBoolean()) {
                acknowledgedByKeycloak.add(e.path("webhookId").asText());
            }
        });
        assertThat(acknowledgedByKeycloak).as("Keycloak recorded each event delivered once").hasSize(n).doesNotHaveDuplicates();
        System.out.printf("[WebhookIT] crash: %d acknowledged before the crash, %d re-sent after the restart%n", beforeRestart.size(), repeated.size());
    }

    /** The deliveries of one phone system (a realm-wide webhook gets every phone system's). */
    private static List<WebhookReceiver.Delivery> of(List<WebhookReceiver.Delivery> ds, String organizationId) {
        return ds.stream().filter(d -> d.json().path("data").path("phoneSystem").path("id").asText().equals(organizationId)).toList();
    }

    @Test
    void purgedUndeliveredChangesDisableTheWebhookViewRealmOnlyReadsAndARemovedOrganizationTakesItsWebhooks() {
        admin().send("PUT", "/" + realm.name(), Map.of("adminEventsEnabled", true, "adminEventsDetailsEnabled", true)).expect(204);
        Customer f = customer("hook-purge");
        JsonNode hook = createHook("/purge", f.orgAlias(), Map.of());
        String id = hook.path("id").asText();
        String secret = hook.path("secret").asText();
        String created = null;
        for (JsonNode e : admin().get("/" + realm.name() + "/admin-events?max=200")) {
            if ("CREATE".equals(e.path("operationType").asText()) && e.path("resourcePath").asText().endsWith(id)) {
                created = e.path("representation").asText();
            }
        }
        assertThat(created).as("admin event of the creation").isNotNull().contains("whsec_********").doesNotContain(secret.substring(6));
        receiver.failNext("/purge", 1000, 500);
        f.localMember("q0@hook-purge.example", "q0@hook-purge.example", "Passw0rd!local");
        assertThat(Poll.until(WAIT, () -> !receiver.at("/purge").isEmpty())).isTrue();
        JsonNode purge = admin().send("POST", "/" + realm.name() + "/pbx-directory/feed/purge",
                Map.of("before", Instant.now().plusSeconds(1).toString(), "organization", f.orgAlias())).expect(200).json();
        assertThat(purge.path("removed").asInt()).isEqualTo(1);
        assertThat(Poll.until(WAIT, () -> !admin().get(hooks() + "/" + id).path("enabled").asBoolean())).isTrue();
        assertThat(admin().get(hooks() + "/" + id).path("disabledReason").asText()).contains("removed by the feed's retention")
                .contains("GET .../extensions");
        assertThat(receiver.acknowledged("/purge")).as("never silently skipped").isEmpty();

        receiver.failNext("/purge", 0, 500);
        f.localMember("q1@hook-purge.example", "q1@hook-purge.example", "Passw0rd!local");
        admin().send("PUT", hooks() + "/" + id, Map.of("enabled", true)).expect(200);
        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/purge").size() == 1)).isTrue();
        assertThat(receiver.acknowledged("/purge").get(0).json().path("data").path("user").path("username").asText())
                .as("re-enabled by the admin: goes on after the removed change").isEqualTo("q1@hook-purge.example");

        String auditor = "hook-auditor";
        String userId = realm.createUser(auditor, auditor + "@admins.example", true, "Passw0rd!audit");
        String client = admin().get("/" + realm.name() + "/clients?clientId=realm-management").get(0).path("id").asText();
        JsonNode viewRealm = admin().get("/" + realm.name() + "/clients/" + client + "/roles/view-realm");
        admin().send("POST", "/" + realm.name() + "/users/" + userId + "/role-mappings/clients/" + client, List.of(viewRealm)).expect(204);
        KeycloakAdminClient view = KeycloakAdminClient.inRealm(stack.keycloak().baseUrl(), realm.name(), auditor, "Passw0rd!audit");
        assertThat(view.send("GET", hooks(), null).status()).isEqualTo(200);
        assertThat(view.send("GET", hooks() + "/" + id, null).json().path("secret").asText()).isEqualTo("whsec_********");
        assertThat(view.send("GET", hooks() + "/" + id + "/deliveries", null).status()).isEqualTo(200);
        assertThat(view.send("POST", hooks(), Map.of("url", receiver.url("/x"))).status()).isEqualTo(403);
        assertThat(view.send("PUT", hooks() + "/" + id, Map.of("enabled", false)).status()).isEqualTo(403);
        assertThat(view.send("POST", hooks() + "/" + id + "/rotate-secret", Map.of()).status()).isEqualTo(403);
        assertThat(view.send("DELETE", hooks() + "/" + id, null).status()).isEqualTo(403);

        admin().send("DELETE", "/" + realm.name() + "/organizations/" + f.orgId(), null).expect(204);
        assertThat(admin().send("GET", hooks() + "/" + id, null).status()).as("the Organization's webhooks go with it").isEqualTo(404);
    }

    private static List<String> ids(List<WebhookReceiver.Delivery> ds) {
        return ds.stream().map(WebhookReceiver.Delivery::id).toList();
    }

    private static List<String> cursors(List<JsonNode> rows) {
        return rows.stream().map(r -> r.path("cursor").asText()).toList();
    }

    private static List<String> tailCursors(List<WebhookReceiver.Delivery> ds, int n) {
        List<String> c = ds.stream().map(d -> d.json().path("data").path("cursor").asText()).toList();
        return c.size() < n ? c : c.subList(c.size() - n, c.size());
    }

    private static long seq(String cursor) {
        return Long.parseLong(cursor.substring(0, cursor.indexOf('.')));
    }
}
