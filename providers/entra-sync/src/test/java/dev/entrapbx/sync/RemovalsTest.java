package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemovalsTest {

    private static final Instant NOW = Instant.parse("2025-06-30T12:00:00Z");

    private static Map<String, SyncedUser> synced() {
        Map<String, SyncedUser> m = new LinkedHashMap<>();
        m.put("active", new SyncedUser("u1", true, null));
        m.put("recent", new SyncedUser("u2", false, "2025-06-20T12:00:00Z"));
        m.put("old", new SyncedUser("u3", false, "2025-05-01T12:00:00Z"));
        m.put("garbled", new SyncedUser("u4", false, "yesterday"));
        return m;
    }

    private static Map<String, String> leaving(String... oids) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String oid : oids) {
            m.put(oid, "left");
        }
        return m;
    }

    @Test
    void leaversAreDisabledAndWhoseGraceIsOverDeleted() {
        Removals.Plan plan = Removals.plan(synced(), leaving("active", "recent", "never-imported"), Optional.of(Duration.ofDays(30)), NOW);
        assertThat(plan.toDisable()).as("already disabled by the sync: its grace runs").containsExactly("active");
        assertThat(plan.toDeleteNow()).isEmpty();
        assertThat(plan.graceOver()).as("an unreadable date counts as long ago").containsExactly("old", "garbled");
        assertThat(plan.actions()).isEqualTo(3);
        assertThat(plan.now()).isEqualTo(NOW);
    }

    @Test
    void graceZeroDeletesAtOnceAndNeverKeepsThemDisabled() {
        Removals.Plan now = Removals.plan(synced(), leaving("active"), Optional.of(Duration.ZERO), NOW);
        assertThat(now.toDisable()).isEmpty();
        assertThat(now.toDeleteNow()).containsExactly("active");
        assertThat(now.graceOver()).containsExactly("recent", "old", "garbled");

        Removals.Plan never = Removals.plan(synced(), leaving("active"), Optional.empty(), NOW);
        assertThat(never.toDisable()).containsExactly("active");
        assertThat(never.toDeleteNow()).isEmpty();
        assertThat(never.graceOver()).isEmpty();
    }

    @Test
    void nobodyLeavingAndNobodyDueMeansNothingToDo() {
        Map<String, SyncedUser> one = Map.of("active", new SyncedUser("u1", true, null));
        assertThat(Removals.plan(one, Map.of(), Optional.of(Duration.ofDays(30)), NOW).actions()).isZero();
    }
}
