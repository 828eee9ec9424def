package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.PbxDirectoryClient;
import dev.entrapbx.harness.Poll;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.harness.WebhookReceiver;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.notifications.NotificationService;
import dev.entrapbx.simulator.notifications.Subscription;
import dev.entrapbx.simulator.presence.PresenceState;
import dev.entrapbx.simulator.presence.PresenceStore;
import dev.entrapbx.simulator.model.User;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Teams presence both ways and Entra user changes within seconds, against the simulator's Graph:
 * presence polled into {@code GET .../presence}, the change feed and a webhook; the PBX's call state
 * set and cleared in Teams, in order; calendar busy for a user without Teams; user-change
 * notifications starting the changed sync, a forged one refused, a lost subscription replaced.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresenceIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final List<String> PERMISSIONS = List.of("User.Read.All", "GroupMember.Read.All", "Domain.Read.All", "Presence.Read.All",
            "Presence.ReadWrite.All", "Calendars.ReadBasic");

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    PbxDirectoryClient pbx;
    WebhookReceiver receiver;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "presence-it");
        this.pbx = PbxDirectoryClient.create(admin, stack.keycloak().baseUrl(), realm.name(), "presence-backend", true, null);
        this.receiver = WebhookReceiver.start(stack);
    }

    @AfterAll
    void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    /** A customer with ann and bob synced, and a sync with {@code config} on top of the basics. */
    private final class Fixture {
        final Customer f;
        final User ann;
        final User bob;
        final String sync;

        Fixture(String name, Map<String, String> config) {
            this(name, config, PERMISSIONS);
        }

        Fixture(String name, Map<String, String> config, List<String> permissions) {
            f = Customer.in(stack, realm, name).permissions(permissions).create();
            ann = f.entraUser("ann");
            bob = f.entraUser("bob");
            Map<String, String> all = new HashMap<>(Map.of("extensionRange", "300-399", "syncPhotos", "false"));
            all.putAll(config);
            sync = f.createSync(name + "-sync", all);
            f.sync(sync, true);
        }

        String userId(User u) {
            return f.members().get(u.userPrincipalName().toLowerCase(Locale.ROOT)).path("id").asText();
        }

        JsonNode presence() {
            return pbx.get("phone-systems/" + f.orgAlias() + "/presence").expect(200).json();
        }

        Optional<JsonNode> presenceOf(User u) {
            String id = userId(u);
            for (JsonNode p : presence().path("presence")) {
                if (id.equals(p.path("userId").asText())) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        KeycloakAdminClient.Response call(User u, String state, Instant at) {
            return pbx.post("phone-systems/" + f.orgAlias() + "/presence/" + userId(u),
                    "{\"state\":\"" + state + "\"" + (at == null ? "" : ",\"at\":\"" + at + "\"") + "}");
        }

        void teams(User u, String availability, String activity) {
            presenceStore().setOwn(f.tenantId(), u.id(), new PresenceState(availability, activity, null, false), false);
        }

        PresenceState shown(User u) {
            return presenceStore().shown(f.tenantId(), u.id());
        }

        List<PresenceStore.LogEntry> log(User u) {
            return presenceStore().log(f.tenantId(), u.id());
        }

        List<JsonNode> changes(String after) {
            return pbx.changesAfter(f.orgAlias(), after, 1000, new ArrayList<>());
        }

        int runCount() {
            return f.runs(sync, 1000).size();
        }

        Optional<Subscription> subscription() {
            return notifications().list().stream().filter(s -> s.tenantId().equals(f.tenantId()) && s.kind() == Subscription.Kind.USERS)
                    .findFirst();
        }
    }

    private PresenceStore presenceStore() {
        return stack.simulator().presence();
    }

    private NotificationService notifications() {
        return stack.simulator().notifications();
    }

    @Test
    void aTeamsPresenceChangeReachesTheFeedAndAWebhookOnceCoalesced() {
        Fixture x = new Fixture("teams-read", Map.of("presence", "true", "presenceIntervalSeconds", "10"));
        String hook = admin.send("POST", "/" + realm.name() + "/pbx-directory/webhooks", Map.of("url", receiver.url("/presence"),
                "organization", x.f.orgAlias())).expect(201).json().path("id").asText();
        assertThat(hook).isNotBlank();
        assertThat(Poll.until(WAIT, () -> x.presenceOf(x.ann).isPresent())).as("first poll stores ann's presence").isTrue();
        String cursor = x.presence().path("changesCursor").asText();

        x.teams(x.ann, "Busy", "InACall");
        x.teams(x.ann, "DoNotDisturb", "Presenting"); // two changes before the next poll: one state, the latest
        assertThat(Poll.until(WAIT, () -> x.presenceOf(x.ann).map(p -> p.path("availability").asText()).orElse("").equals("DoNotDisturb")))
                .as("GET .../presence shows ann's new presence within an interval").isTrue();
        JsonNode ann = x.presenceOf(x.ann).orElseThrow();
        assertThat(ann.path("activity").asText()).isEqualTo("Presenting");
        assertThat(ann.path("source").asText()).isEqualTo("teams");

        List<JsonNode> rows = x.changes(cursor).stream().filter(r -> r.path("type").asText().equals("presence.changed")).toList();
        assertThat(rows).as("one presence.changed row for ann after the cursor").hasSize(1);
        assertThat(rows.get(0).path("userId").asText()).isEqualTo(x.userId(x.ann));
        assertThat(rows.get(0).path("presence").path("availability").asText()).isEqualTo("DoNotDisturb");

        assertThat(Poll.until(WAIT, () -> receiver.acknowledged("/presence").stream()
                .anyMatch(d -> d.json().path("type").asText().equals("presence.changed")
                        && d.json().path("data").path("presence").path("availability").asText().equals("DoNotDisturb")
                        || d.json().path("presence").path("availability").asText().equals("DoNotDisturb"))))
                .as("the webhook receives ann's presence").isTrue();

        // a later change replaces ann's earlier row in the feed: a consumer that is behind gets the latest once
        x.teams(x.ann, "Available", "Available");
        assertThat(Poll.until(WAIT, () -> x.presenceOf(x.ann).map(p -> p.path("availability").asText()).orElse("").equals("Available"))).isTrue();
        List<JsonNode> after = x.changes(cursor).stream().filter(r -> r.path("type").asText().equals("presence.changed")
                && r.path("userId").asText().equals(x.userId(x.ann))).toList();
        assertThat(after).hasSize(1);
        assertThat(after.get(0).path("presence").path("availability").asText()).isEqualTo("Available");
    }

    @Test
    void aPbxCallIsShownInTeamsWithTheAppsSessionAndClearedWhenItEnds() {
        Fixture x = new Fixture("pbx-write", Map.of("presenceFromPbx", "true"));
        x.teams(x.ann, "Available", "Available");
        KeycloakAdminClient.Response r = x.call(x.ann, "in-call", null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(Poll.until(WAIT, () -> x.shown(x.ann).activity().equals("InACall"))).as("Teams shows ann in a call").isTrue();
        PresenceStore.LogEntry set = x.log(x.ann).get(0);
        assertThat(set.operation()).isEqualTo("setPresence");
        assertThat(set.sessionId()).as("sessionId is the app's client id").isEqualTo(x.f.appId());
        assertThat(set.availability() + "/" + set.activity()).isEqualTo("Busy/InACall");
        assertThat(Poll.until(WAIT, () -> x.presenceOf(x.ann).map(p -> p.path("pbx").path("teams").asText()).orElse("").equals("shown")))
                .isTrue();

        assertThat(x.call(x.ann, "idle", null).status()).isEqualTo(202);
        assertThat(Poll.until(WAIT, () -> x.log(x.ann).stream().anyMatch(e -> e.operation().equals("clearPresence")))).as("cleared").isTrue();
        assertThat(Poll.until(WAIT, () -> x.shown(x.ann).availability().equals("Available"))).isTrue();

        assertThat(x.call(x.ann, "on-hold", null).status()).as("an unknown state").isEqualTo(400);
        assertThat(pbx.post("phone-systems/" + x.f.orgAlias() + "/presence/" + x.userId(x.ann), "{\"state\":\"dnd\"}", null).status())
                .as("without a token").isEqualTo(401);
        assertThat(pbx.post("phone-systems/" + x.f.orgAlias() + "/presence/no-such-user", "{\"state\":\"dnd\"}").status()).isEqualTo(404);
    }

    @Test
    void aCallStateGraphKeepsThrottlingIsReportedAsFailedAndGivenAgainLater() {
        Fixture x = new Fixture("pbx-retry", Map.of("presenceFromPbx", "true", "presenceIntervalSeconds", "10"));
        x.teams(x.ann, "Available", "Available");
        // every setPresence throttled (Retry-After 0): the retry layer gives up after its retries
        stack.simulator().faults().add(FaultRule.on("POST", ".*/presence/setPresence").untilCleared().throttle(0));
        assertThat(x.call(x.ann, "in-call", null).status()).as("the PBX's call is not held up by Graph").isEqualTo(202);
        assertThat(Poll.until(WAIT, () -> x.presenceOf(x.ann).map(p -> p.path("pbx").path("teams").asText()).orElse("").equals("failed")))
                .as("GET .../presence says Teams was not given the state").isTrue();
        assertThat(x.presenceOf(x.ann).orElseThrow().path("pbx").path("teamsError").asText()).contains("429");
        assertThat(x.shown(x.ann).availability()).isEqualTo("Available");

        stack.simulator().faults().clear(); // Graph takes calls again: the failed state is given again (push-retry-seconds=2 here)
        assertThat(Poll.until(WAIT, () -> x.shown(x.ann).activity().equals("InACall"))).as("Teams shows the call after the retry").isTrue();
        assertThat(Poll.until(WAIT, () -> x.presenceOf(x.ann).map(p -> p.path("pbx").path("teams").asText()).orElse("").equals("shown")))
                .isTrue();
    }

    @Test
    void aLateIdleNeverOverwritesANewerCallEvenUnderConcurrentUpdates() throws Exception {
        Fixture x = new Fixture("pbx-order", Map.of("presenceFromPbx", "true"));
        Instant t0 = Instant.now();
        assertThat(x.call(x.ann, "in-call", t0.plusSeconds(2)).status()).isEqualTo(202);
        KeycloakAdminClient.Response late = x.call(x.ann, "idle", t0.plusSeconds(1));
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().path("accepted").asBoolean()).isFalse();
        assertThat(late.json().path("reason").asText()).startsWith("stale");
        assertThat(x.call(x.ann, "in-call", t0.plusSeconds(2)).json().path("reason").asText()).as("the same state again").isEqualTo("repeat");

        // 40 states for bob from 8 threads, sent in random order: Teams ends on the newest one
        List<String> states = List.of("in-call", "idle", "dnd", "ringing", "in-call");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(7));
        for (int i : order) {
            pool.execute(() -> x.call(x.bob, states.get(i % states.size()), t0.plusMillis(i * 10L)));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        String newest = states.get(39 % states.size()); // "in-call"
        assertThat(Poll.until(WAIT, () -> x.presenceOf(x.bob).map(p -> p.path("pbx").path("state").asText() + "/"
                + p.path("pbx").path("teams").asText()).orElse("").equals(newest + "/shown"))).isTrue();
        assertThat(x.shown(x.bob).activity()).isEqualTo("InACall");
        Thread.sleep(1500); // nothing still under way turns it into something older
        assertThat(x.shown(x.bob).activity()).isEqualTo("InACall");
    }

    @Test
    void aUserWithoutTeamsGetsBusyFromTheCalendar() {
        Fixture x = new Fixture("calendar", Map.of("presence", "true", "presenceIntervalSeconds", "10", "presenceCalendar", "true"));
        String cursor = x.presence().path("changesCursor").asText();
        presenceStore().setLicensed(x.f.tenantId(), x.bob.id(), false);
        Instant now = Instant.now();
        stack.simulator().calendars().add(x.f.tenantId(), x.bob.id(), now.minusSeconds(600), now.plusSeconds(3600), "busy", "Board meeting",
                null, false);
        assertThat(Poll.until(WAIT, () -> x.presenceOf(x.bob).map(p -> p.path("source").asText()).orElse("").equals("calendar")))
                .as("bob's presence from his calendar").isTrue();
        JsonNode bob = x.presenceOf(x.bob).orElseThrow();
        assertThat(bob.path("availability").asText()).isEqualTo("Busy");
        assertThat(bob.path("activity").asText()).isEqualTo("InAMeeting");
        List<JsonNode> rows = x.changes(cursor).stream().filter(r -> r.path("type").asText().equals("presence.changed")
                && r.path("userId").asText().equals(x.userId(x.bob))).toList();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("presence").path("source").asText()).isEqualTo("calendar");
    }

    @Test
    void anEntraUserChangeStartsTheChangedSyncWithinSecondsOnceForABurst() {
        Fixture x = new Fixture("notify", Map.of("userChangeNotifications", "true", "notificationUrl", stack.keycloak().baseUrl()));
        assertThat(Poll.until(WAIT, () -> x.subscription().isPresent())).as("a users subscription at Graph").isTrue();
        int runs = x.runCount();
        long t0 = System.nanoTime();
        for (String title : List.of("Engineer", "Senior engineer", "Head of engineering")) {
            x.f.directory().updateUser(x.f.tenantId(), x.ann.id(), b -> b.jobTitle(title));
        }
        assertThat(Poll.until(WAIT, () -> "Head of engineering".equals(Customer.attr(x.f.user(x.ann.userPrincipalName().toLowerCase(Locale.ROOT)),
                "jobTitle")))).as("ann's new title in Keycloak without a sync being pressed").isTrue();
        long lagMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(lagMillis).as("within seconds (the periodic sync is off)").isLessThan(30_000);
        Poll.until(Duration.ofSeconds(4), () -> false);
        assertThat(x.runCount() - runs).as("three changes, one debounced changed sync").isEqualTo(1);
    }

    @Test
    void aNotificationWithAWrongClientStateIsRefused() throws Exception {
        Fixture x = new Fixture("forged", Map.of("userChangeNotifications", "true", "notificationUrl", stack.keycloak().baseUrl()));
        assertThat(Poll.until(WAIT, () -> x.subscription().isPresent())).isTrue();
        Subscription s = x.subscription().orElseThrow();
        int runs = x.runCount();
        String forged = "{\"value\":[{\"subscriptionId\":\"" + s.id() + "\",\"clientState\":\"guessed\",\"changeType\":\"updated\","
                + "\"resource\":\"Users/" + x.ann.id() + "\",\"tenantId\":\"" + x.f.tenantId() + "\"}]}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.keycloak().baseUrl() + "/realms/"
                + realm.name() + "/entra-notifications")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(forged)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("answered as any notification").isEqualTo(202);
        Poll.until(Duration.ofSeconds(5), () -> false);
        assertThat(x.runCount()).as("no sync started by a forged notification").isEqualTo(runs);

        HttpResponse<String> handshake = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.keycloak().baseUrl()
                + "/realms/" + realm.name() + "/entra-notifications?validationToken=Validation%3A%20hello")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.body()).isEqualTo("Validation: hello");
        assertThat(handshake.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

        HttpResponse<String> tooLong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.keycloak().baseUrl()
                + "/realms/" + realm.name() + "/entra-notifications?validationToken=" + "x".repeat(2000))).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooLong.statusCode()).as("a token longer than Graph's is refused, not echoed").isEqualTo(400);
    }

    @Test
    void aSubscriptionIsRenewedWhenGraphAsksAndALostOneIsReplacedWithAChangedSync() {
        Fixture x = new Fixture("lose", Map.of("userChangeNotifications", "true", "notificationUrl", stack.keycloak().baseUrl()));
        assertThat(Poll.until(WAIT, () -> x.subscription().isPresent())).isTrue();
        Subscription first = x.subscription().orElseThrow();
        Instant expiry = first.expirationDateTime();

        notifications().lifecycle(first, "reauthorizationRequired", false);
        assertThat(Poll.until(WAIT, () -> x.subscription().map(Subscription::expirationDateTime).orElse(expiry).isAfter(expiry)))
                .as("renewed after reauthorizationRequired").isTrue();

        notifications().lose(first, NotificationService.LossMode.VANISH);
        x.f.directory().updateUser(x.f.tenantId(), x.bob.id(), b -> b.jobTitle("Changed while unsubscribed"));
        assertThat(Poll.until(WAIT, () -> x.subscription().filter(s -> !s.id().equals(first.id())).isPresent()))
                .as("a new subscription replaces the lost one").isTrue();
        assertThat(Poll.until(WAIT, () -> "Changed while unsubscribed".equals(Customer.attr(x.f.user(
                x.bob.userPrincipalName().toLowerCase(Locale.ROOT)), "jobTitle")))).as("the gap caught up by a changed sync").isTrue();
    }

    @Test
    void testConnectionNamesTheMissingPresencePermissionsAndAnUnreachableSetupIsRefused() {
        Fixture x = new Fixture("no-presence", Map.of(), Customer.SYNC_PERMISSIONS);
        KeycloakAdminClient.Response turnOn = admin.send("PUT", "/" + realm.name() + "/components/" + x.sync, component(x, Map.of("presence",
                "true", "presenceFromPbx", "true")));
        assertThat(turnOn.status()).as(turnOn.body()).isEqualTo(204);
        JsonNode test = admin.send("POST", "/" + realm.name() + "/entra-sync/" + x.sync + "/test-connection", null).expect(200).json();
        assertThat(test.path("missingPermissions").toString()).contains("Presence.Read.All").contains("Presence.ReadWrite.All");

        KeycloakAdminClient.Response noUrl = admin.send("PUT", "/" + realm.name() + "/components/" + x.sync, component(x,
                Map.of("userChangeNotifications", "true")));
        assertThat(noUrl.status()).isEqualTo(400);
        assertThat(noUrl.body()).contains("Notification URL");
        KeycloakAdminClient.Response http = admin.send("PUT", "/" + realm.name() + "/components/" + x.sync, component(x,
                Map.of("userChangeNotifications", "true", "notificationUrl", "http://sso.partner.example")));
        assertThat(http.status()).isEqualTo(400);
        assertThat(http.body()).contains("https://");
        KeycloakAdminClient.Response calendarAlone = admin.send("PUT", "/" + realm.name() + "/components/" + x.sync, component(x,
                Map.of("presence", "false", "presenceCalendar", "true")));
        assertThat(calendarAlone.status()).isEqualTo(400);
        assertThat(calendarAlone.body()).contains("Teams presence");
    }

    /** The sync component's representation with {@code changes} to its config. */
    private JsonNode component(Fixture x, Map<String, String> changes) {
        JsonNode c = admin.get("/" + realm.name() + "/components/" + x.sync);
        com.fasterxml.jackson.databind.node.ObjectNode edit = c.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode) edit.path("config");
        changes.forEach((k, v) -> config.set(k, new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(List.of(v))));
        return edit;
    }
}
