package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.presence.PresenceState;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Teams presence: reads, getPresencesByUserId, setPresence/clearPresence sessions, getSchedule, faults. */
class PresenceTest extends SimulatorTestSupport {
    private Fixture fx;
    private String token;
    private User ann;
    private User bob;

    @BeforeEach
    void seed() {
        fx = fixture("Presence", "User.Read.All", "Presence.Read.All", "Presence.ReadWrite.All", "Calendars.Read");
        ann = user(fx, "ann");
        bob = user(fx, "bob");
        token = appToken(fx);
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
    }

    static HttpResponse<String> graphPost(String token, String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build());
    }

    private HttpResponse<String> setPresence(User u, String sessionId, String availability, String activity, String duration) {
        return graphPost(token, "/v1.0/users/" + u.id() + "/presence/setPresence", "{\"sessionId\":\"" + sessionId
                + "\",\"availability\":\"" + availability + "\",\"activity\":\"" + activity + "\""
                + (duration == null ? "" : ",\"expirationDuration\":\"" + duration + "\"") + "}");
    }

    private JsonNode presenceOf(User u) {
        return graphJson(token, "/v1.0/users/" + u.id() + "/presence");
    }

    @Test
    void presenceIsReadAsGraphShowsIt() {
        sim.presence().setOwn(fx.tenantId(), ann.id(), new PresenceState("Busy", "InAMeeting", "Back Monday", true), false);
        JsonNode p = presenceOf(ann);
        assertThat(p.get("@odata.context").asText()).endsWith("/v1.0/$metadata#users('" + ann.id() + "')/presence/$entity");
        assertThat(p.get("id").asText()).isEqualTo(ann.id());
        assertThat(p.get("availability").asText()).isEqualTo("Busy");
        assertThat(p.get("activity").asText()).isEqualTo("InAMeeting");
        assertThat(p.at("/outOfOfficeSettings/message").asText()).isEqualTo("Back Monday");
        assertThat(p.at("/outOfOfficeSettings/isOutOfOffice").asBoolean()).isTrue();
        JsonNode c = graphJson(token, "/v1.0/communications/presences/" + ann.id());
        assertThat(c.get("availability").asText()).isEqualTo("Busy");
        // no Teams client signed in: Offline
        assertThat(presenceOf(bob).get("availability").asText()).isEqualTo("Offline");
        // no Teams licence: PresenceUnknown
        http.patchJson(sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/presence/" + bob.userPrincipalName(),
                "{\"licensed\":false}");
        assertThat(presenceOf(bob).get("availability").asText()).isEqualTo("PresenceUnknown");
        assertThat(presenceOf(bob).get("activity").asText()).isEqualTo("PresenceUnknown");
        assertThat(setPresence(bob, fx.clientId(), "Busy", "InACall", null).statusCode()).isEqualTo(404);
        assertThat(graphGet(token, "/v1.0/users/" + UUID.randomUUID() + "/presence").statusCode()).isEqualTo(404);
    }

    @Test
    void getPresencesByUserIdAnswersUpTo650IdsAndNeedsPresenceReadAll() {
        http.patchJson(sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/presence/" + ann.id(),
                "{\"availability\":\"DoNotDisturb\",\"activity\":\"Presenting\"}");
        HttpResponse<String> r = graphPost(token, "/v1.0/communications/getPresencesByUserId",
                "{\"ids\":[\"" + ann.id() + "\",\"" + bob.id() + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode page = TestHttp.json(r);
        assertThat(page.get("@odata.context").asText()).endsWith("$metadata#Collection(microsoft.graph.presence)");
        assertThat(page.get("value")).hasSize(2);
        assertThat(page.get("value").get(0).get("id").asText()).isEqualTo(ann.id());
        assertThat(page.get("value").get(0).get("availability").asText()).isEqualTo("DoNotDisturb");
        assertThat(page.get("value").get(1).get("availability").asText()).isEqualTo("Offline");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 650; i++) {
            ids.add("\"" + UUID.randomUUID() + "\"");
        }
        assertThat(graphPost(token, "/v1.0/communications/getPresencesByUserId",
                "{\"ids\":[" + String.join(",", ids) + "]}").statusCode()).isEqualTo(200);
        ids.add("\"" + UUID.randomUUID() + "\"");
        HttpResponse<String> tooMany = graphPost(token, "/v1.0/communications/getPresencesByUserId",
                "{\"ids\":[" + String.join(",", ids) + "]}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(tooMany).at("/error/code").asText()).isEqualTo("BadRequest");

        Fixture noPresence = fixture("NoPresence", "User.Read.All");
        HttpResponse<String> denied = graphPost(appToken(noPresence), "/v1.0/communications/getPresencesByUserId",
                "{\"ids\":[\"" + ann.id() + "\"]}");
        assertThat(denied.statusCode()).isEqualTo(403);
        JsonNode error = TestHttp.json(denied).get("error");
        assertThat(error.get("code").asText()).isEqualTo("Authorization_RequestDenied");
        assertThat(error.at("/innerError/request-id").asText()).isNotBlank();
    }

    @Test
    void appSessionsAggregateExpireAndClear() {
        sim.presence().setOwn(fx.tenantId(), ann.id(), new PresenceState("Available", "Available", null, false), false);
        assertThat(setPresence(ann, fx.clientId(), "Busy", "InACall", "PT1H").statusCode()).isEqualTo(200);
        assertThat(presenceOf(ann).get("activity").asText()).isEqualTo("InACall");
        // Busy beats the Teams client's Available; setting again replaces the session
        assertThat(setPresence(ann, fx.clientId(), "Busy", "InAConferenceCall", null).statusCode()).isEqualTo(200);
        assertThat(presenceOf(ann).get("activity").asText()).isEqualTo("InAConferenceCall");
        // a user-configured state overrides app sessions
        http.patchJson(sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/presence/" + ann.id(),
                "{\"availability\":\"Away\",\"activity\":\"Away\",\"userConfigured\":true}");
        assertThat(presenceOf(ann).get("availability").asText()).isEqualTo("Away");
        http.patchJson(sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/presence/" + ann.id(),
                "{\"availability\":\"Available\",\"userConfigured\":false}");
        assertThat(presenceOf(ann).get("availability").asText()).isEqualTo("Busy");

        // expiry (the control API ends the session as if its duration had passed)
        HttpResponse<String> expired = http.postJson(sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/presence/"
                + ann.id() + "/sessions/" + fx.clientId() + ":expire", "");
        assertThat(expired.statusCode()).as(expired.body()).isEqualTo(200);
        assertThat(presenceOf(ann).get("availability").asText()).isEqualTo("Available");

        // clearPresence: the only session gone -> Offline; an unknown session -> 404
        assertThat(setPresence(bob, fx.clientId(), "Away", "Away", null).statusCode()).isEqualTo(200);
        assertThat(presenceOf(bob).get("availability").asText()).isEqualTo("Away");
        HttpResponse<String> clear = graphPost(token, "/v1.0/users/" + bob.id() + "/presence/clearPresence",
                "{\"sessionId\":\"" + fx.clientId() + "\"}");
        assertThat(clear.statusCode()).as(clear.body()).isEqualTo(200);
        assertThat(presenceOf(bob).get("availability").asText()).isEqualTo("Offline");
        assertThat(graphPost(token, "/v1.0/users/" + bob.id() + "/presence/clearPresence",
                "{\"sessionId\":\"" + fx.clientId() + "\"}").statusCode()).isEqualTo(404);

        // the log keeps the calls in order
        JsonNode log = TestHttp.json(http.get(sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/presence/"
                + ann.userPrincipalName() + "/log"));
        assertThat(log).extracting(e -> e.get("operation").asText() + ":" + e.get("activity").asText())
                .containsExactly("setPresence:InACall", "setPresence:InAConferenceCall");
        assertThat(log.get(0).get("sessionId").asText()).isEqualTo(fx.clientId());
        assertThat(log.get(0).get("expirationDuration").asText()).isEqualTo("PT1H");
        assertThat(sim.presence().log(fx.tenantId(), bob.id())).extracting(e -> e.operation())
                .containsExactly("setPresence", "clearPresence");
    }

    @Test
    void sessionsEndWhenTheirExpirationPasses() throws Exception {
        // the minimum expiration (PT5M) is too long for a unit test: the store is driven directly with 300 ms
        sim.presence().setPresence(fx.tenantId(), ann.id(), fx.clientId(), fx.clientId(), "Busy", "InACall",
                Duration.ofMillis(300), "PT0.3S");
        assertThat(presenceOf(ann).get("activity").asText()).isEqualTo("InACall");
        Instant deadline = Instant.now().plusSeconds(5);
        while (!"Offline".equals(presenceOf(ann).get("availability").asText()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(presenceOf(ann).get("availability").asText()).isEqualTo("Offline");
    }

    @Test
    void setPresenceRefusesUndocumentedCombinationsDurationsAndSessions() {
        for (String[] ok : new String[][] {{"Available", "Available"}, {"Busy", "InACall"}, {"Busy", "InAConferenceCall"},
                {"Away", "Away"}, {"DoNotDisturb", "Presenting"}}) {
            assertThat(setPresence(ann, fx.clientId(), ok[0], ok[1], null).statusCode()).as(ok[0] + "/" + ok[1])
                    .isEqualTo(200);
        }
        for (String[] bad : new String[][] {{"Busy", "Busy"}, {"Available", "InACall"}, {"Offline", "Offline"},
                {"DoNotDisturb", "DoNotDisturb"}, {"BeRightBack", "BeRightBack"}}) {
            HttpResponse<String> r = setPresence(ann, fx.clientId(), bad[0], bad[1], null);
            assertThat(r.statusCode()).as(bad[0] + "/" + bad[1]).isEqualTo(400);
            assertThat(TestHttp.json(r).at("/error/code").asText()).isEqualTo("BadRequest");
        }
        assertThat(setPresence(ann, fx.clientId(), "Busy", "InACall", "PT4M").statusCode()).isEqualTo(400);
        assertThat(setPresence(ann, fx.clientId(), "Busy", "InACall", "PT5H").statusCode()).isEqualTo(400);
        assertThat(setPresence(ann, fx.clientId(), "Busy", "InACall", "PT4H").statusCode()).isEqualTo(200);
        assertThat(setPresence(ann, UUID.randomUUID().toString(), "Busy", "InACall", null).statusCode()).isEqualTo(400);
        Fixture readOnly = fixture("ReadOnly", "Presence.Read.All");
        HttpResponse<String> denied = graphPost(appToken(readOnly), "/v1.0/users/" + ann.id() + "/presence/setPresence",
                "{\"sessionId\":\"" + readOnly.clientId() + "\",\"availability\":\"Busy\",\"activity\":\"InACall\"}");
        assertThat(denied.statusCode()).isEqualTo(403);
    }

    @Test
    void getScheduleAnswersScheduleItemsAndAvailabilityView() {
        String events = sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/calendars/" + ann.userPrincipalName() + "/events";
        assertThat(http.postJson(events, "{\"subject\":\"Standup\",\"start\":\"2026-03-02T09:00:00Z\","
                + "\"end\":\"2026-03-02T09:30:00Z\",\"showAs\":\"busy\",\"location\":\"Room 1\"}").statusCode()).isEqualTo(201);
        http.postJson(events, "{\"subject\":\"Maybe\",\"start\":\"2026-03-02T10:00:00Z\",\"end\":\"2026-03-02T11:00:00Z\","
                + "\"showAs\":\"tentative\"}");
        http.postJson(events, "{\"subject\":\"Holiday\",\"start\":\"2026-03-02T11:30:00Z\",\"end\":\"2026-03-02T12:00:00Z\","
                + "\"showAs\":\"oof\"}");
        String body = "{\"schedules\":[\"" + ann.mail() + "\",\"" + bob.userPrincipalName() + "\",\"nobody@nowhere.example\"],"
                + "\"startTime\":{\"dateTime\":\"2026-03-02T09:00:00\",\"timeZone\":\"UTC\"},"
                + "\"endTime\":{\"dateTime\":\"2026-03-02T12:00:00\",\"timeZone\":\"UTC\"},\"availabilityViewInterval\":30}";
        HttpResponse<String> r = graphPost(token, "/v1.0/users/" + ann.id() + "/calendar/getSchedule", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode page = TestHttp.json(r);
        assertThat(page.get("@odata.context").asText()).endsWith("$metadata#Collection(microsoft.graph.scheduleInformation)");
        JsonNode a = page.get("value").get(0);
        assertThat(a.get("scheduleId").asText()).isEqualTo(ann.mail());
        assertThat(a.get("availabilityView").asText()).isEqualTo("201103");
        assertThat(a.get("scheduleItems")).hasSize(3);
        JsonNode first = a.get("scheduleItems").get(0);
        assertThat(first.get("status").asText()).isEqualTo("busy");
        assertThat(first.get("subject").asText()).isEqualTo("Standup");
        assertThat(first.at("/start/dateTime").asText()).isEqualTo("2026-03-02T09:00:00.0000000");
        assertThat(first.at("/start/timeZone").asText()).isEqualTo("UTC");
        assertThat(a.at("/workingHours/daysOfWeek")).hasSize(5);
        assertThat(page.get("value").get(1).get("availabilityView").asText()).isEqualTo("000000");
        assertThat(page.get("value").get(2).has("error")).isTrue();

        // Prefer: outlook.timezone converts answered times; the request zone converts the window
        JsonNode berlin = TestHttp.json(graphPost(token, "/v1.0/users/" + ann.id() + "/calendar/getSchedule",
                "{\"schedules\":[\"" + ann.mail() + "\"],\"startTime\":{\"dateTime\":\"2026-03-02T10:00:00\","
                + "\"timeZone\":\"W. Europe Standard Time\"},\"endTime\":{\"dateTime\":\"2026-03-02T11:00:00\","
                + "\"timeZone\":\"W. Europe Standard Time\"},\"availabilityViewInterval\":60}",
                "Prefer", "outlook.timezone=\"W. Europe Standard Time\""));
        JsonNode item = berlin.get("value").get(0).get("scheduleItems").get(0);
        assertThat(item.at("/start/dateTime").asText()).isEqualTo("2026-03-02T10:00:00.0000000");
        assertThat(item.at("/start/timeZone").asText()).isEqualTo("W. Europe Standard Time");
        assertThat(berlin.get("value").get(0).get("availabilityView").asText()).isEqualTo("2");

        assertThat(graphPost(token, "/v1.0/users/" + ann.id() + "/calendar/getSchedule",
                body.replace("\"availabilityViewInterval\":30", "\"availabilityViewInterval\":4")).statusCode()).isEqualTo(400);
        Fixture noCalendar = fixture("NoCalendar", "User.Read.All");
        HttpResponse<String> denied = graphPost(appToken(noCalendar), "/v1.0/users/" + ann.id() + "/calendar/getSchedule", body);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(TestHttp.json(denied).at("/error/code").asText()).isEqualTo("ErrorAccessDenied");
    }

    @Test
    void faultsAndCountersApplyToPresencePaths() {
        sim.requests().resetCounts();
        sim.faults().add(FaultRule.on("POST", "^/v1\\.0/communications/getPresencesByUserId").times(1).throttle(7));
        HttpResponse<String> throttled = graphPost(token, "/v1.0/communications/getPresencesByUserId",
                "{\"ids\":[\"" + ann.id() + "\"]}");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("7");
        assertThat(TestHttp.json(throttled).at("/error/code").asText()).isEqualTo("TooManyRequests");
        assertThat(graphPost(token, "/v1.0/communications/getPresencesByUserId", "{\"ids\":[\"" + ann.id() + "\"]}")
                .statusCode()).isEqualTo(200);
        http.postJson(sim.baseUrl() + "/_sim/faults", "{\"method\":\"POST\",\"path\":\"/presence/setPresence$\","
                + "\"kind\":\"SERVICE_UNAVAILABLE\",\"times\":1}");
        assertThat(setPresence(ann, fx.clientId(), "Busy", "InACall", null).statusCode()).isEqualTo(503);
        assertThat(setPresence(ann, fx.clientId(), "Busy", "InACall", null).statusCode()).isEqualTo(200);
        graphGet(token, "/v1.0/users/" + ann.id() + "/presence");
        graphPost(token, "/v1.0/users/" + ann.id() + "/calendar/getSchedule", "{}");
        JsonNode counts = TestHttp.json(http.get(sim.baseUrl() + "/_sim/requests/counts"));
        assertThat(counts.get("presence").asLong()).isEqualTo(3);
        assertThat(counts.get("setPresence").asLong()).isEqualTo(2);
        assertThat(counts.get("getSchedule").asLong()).isEqualTo(1);
    }

    @Test
    void generatorChangesPresenceAtARate() throws Exception {
        Fixture load = fixture("Load", "Presence.Read.All");
        sim.directory().generateUsers(load.tenantId(), 2_000, null, "load");
        HttpResponse<String> started = http.postJson(sim.baseUrl() + "/_sim/tenants/" + load.tenantId()
                + "/presence:generate", "{\"changesPerSecond\":500,\"seed\":7}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(TestHttp.json(started).get("users").asInt()).isEqualTo(2_000);
        Thread.sleep(400);
        JsonNode status = TestHttp.json(http.delete(sim.baseUrl() + "/_sim/presence:generate"));
        assertThat(status.get("running").asBoolean()).isFalse();
        assertThat(status.get("changes").asLong()).isGreaterThan(2_000 + 50);
    }
}
