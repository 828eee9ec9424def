package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.Poll;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.fault.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "Sync now" from admin REST ({@code POST .../entra-sync/{id}/sync}): the request answers at once
 * with the run's id, the run shows its phase, pages, users written and Graph retries while it runs,
 * and a second start while it runs is refused with the run it waits for.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncNowIT {

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "sync-now-it");
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    private String path(String componentId, String rest) {
        return "/" + realm.name() + "/entra-sync/" + componentId + rest;
    }

    @Test
    void syncNowAnswersAtOnceAndTheRunShowsItsProgressWhileItRuns() {
        Customer f = Customer.in(stack, realm, "now-progress").permissions(Customer.SYNC_PERMISSIONS).create();
        f.directory().generateUsers(f.tenantId(), 2500, f.domain(), "p");
        int enabled = f.enabledEntraUsers();
        String id = f.createSync("progress-sync", Map.of());
        // the first two page requests throttled (retries to see), and slow pages (3 of them: 999 users a page)
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(f.tenantId()).times(2).throttle(0));
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(f.tenantId()).untilCleared()
                .latency(Duration.ofMillis(1500)));

        long before = System.nanoTime();
        KeycloakAdminClient.Response started = admin.send("POST", path(id, "/sync?mode=full"), null, Duration.ofSeconds(30));
        long answeredMillis = (System.nanoTime() - before) / 1_000_000;
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonNode start = started.json();
        String runId = start.path("runId").asText();
        assertThat(start.path("status").asText()).isEqualTo("RUNNING");
        assertThat(start.path("trigger").asText()).isEqualTo("full");
        System.out.printf("[SyncNowIT] POST sync answered in %d ms%n", answeredMillis);

        // while it runs: the same run, RUNNING, growing
        List<JsonNode> seen = new ArrayList<>();
        Optional<JsonNode> midway = Poll.first(Duration.ofSeconds(60), () -> {
            JsonNode r = admin.get(path(id, "/runs/" + runId));
            seen.add(r);
            return "RUNNING".equals(r.path("status").asText()) && r.path("written").asInt() > 0 ? Optional.of(r) : Optional.empty();
        });
        assertThat(midway).as("a running run with users written; seen: %s", seen).isPresent();
        JsonNode m = midway.get();
        assertThat(m.path("phase").asText()).isEqualTo("users");
        assertThat(m.path("pagesRead").asInt()).isBetween(1, 2);
        assertThat(m.path("written").asInt()).isLessThan(enabled);
        assertThat(m.path("graphRetries").asInt()).as("the two throttled pages, counted while the run goes on").isGreaterThanOrEqualTo(2);
        assertThat(m.has("endedAt")).isFalse();

        // a second start while it runs: refused, naming the run
        KeycloakAdminClient.Response again = admin.send("POST", path(id, "/sync?mode=changed"), null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").asText()).isEqualTo("sync_running");
        assertThat(again.json().path("error_description").asText()).contains(runId).contains("progress-sync");

        stack.simulator().faults().clear();
        Optional<JsonNode> done = Poll.first(Duration.ofSeconds(120), () -> {
            JsonNode r = admin.get(path(id, "/runs/" + runId));
            return "RUNNING".equals(r.path("status").asText()) ? Optional.empty() : Optional.of(r);
        });
        assertThat(done).isPresent();
        JsonNode end = done.get();
        assertThat(end.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(end.path("added").asInt()).isEqualTo(enabled);
        assertThat(end.path("written").asInt()).isEqualTo(enabled);
        assertThat(end.path("pagesRead").asInt()).isEqualTo(3);
        assertThat(end.path("graphRetries").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(f.members()).hasSize(enabled);
        assertThat(realm.adminEvents()).anySatisfy(e -> {
            assertThat(e.path("operationType").asText()).isEqualTo("ACTION");
            assertThat(e.path("resourcePath").asText()).isEqualTo("entra-sync/" + id + "/sync");
        });

        // once it has ended, another can start: a changed sync, with nothing to change
        KeycloakAdminClient.Response changed = admin.send("POST", path(id, "/sync?mode=changed"), null);
        assertThat(changed.status()).as(changed.body()).isEqualTo(202);
        String changedRun = changed.json().path("runId").asText();
        assertThat(Poll.until(Duration.ofSeconds(60), () -> "SUCCESS".equals(admin.get(path(id, "/runs/" + changedRun))
                .path("status").asText()))).isTrue();
        assertThat(admin.get(path(id, "/runs/" + changedRun)).path("mode").asText()).isEqualTo("changed");
    }

    @Test
    void aBadModeAnUnknownSyncAndADisabledSyncAreRefusedWithWhatToDo() {
        Customer f = Customer.in(stack, realm, "now-refused").permissions(Customer.SYNC_PERMISSIONS).create();
        String id = f.createSync("refused-sync", Map.of());

        KeycloakAdminClient.Response bad = admin.send("POST", path(id, "/sync?mode=partial"), null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error_description").asText()).contains("'changed'").contains("'full'");

        KeycloakAdminClient.Response unknown = admin.send("POST", path("no-such-sync", "/sync"), null);
        assertThat(unknown.status()).isEqualTo(404);

        JsonNode component = admin.get("/" + realm.name() + "/components/" + id);
        ((com.fasterxml.jackson.databind.node.ObjectNode) component.path("config")).putArray("enabled").add("false");
        admin.send("PUT", "/" + realm.name() + "/components/" + id, component).expect(204);
        KeycloakAdminClient.Response disabled = admin.send("POST", path(id, "/sync"), null);
        assertThat(disabled.status()).isEqualTo(409);
        assertThat(disabled.json().path("error").asText()).isEqualTo("sync_disabled");
        assertThat(f.runs(id, 5)).as("nothing ran").isEmpty();
    }
}
