package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.SynchronizationResult;

class SyncSchedulerTest {

    @Test
    void a_thousand_components_spread_over_the_first_80_percent_of_their_period() {
        int[] buckets = new int[8]; // 30-s buckets of the 240 s the stagger uses in a 300-s period
        for (int i = 0; i < 1000; i++) {
            long offset = SyncScheduler.offsetMillis(UUID.randomUUID().toString(), 300);
            assertThat(offset).isBetween(0L, 239_999L);
            buckets[(int) (offset / 30_000)]++;
        }
        for (int b : buckets) {
            assertThat(b).as("about 125 per 30 s, none crowded or empty").isBetween(70, 190);
        }
    }

    @Test
    void the_offset_is_the_same_on_every_node() {
        String id = "0b6c2f3e-8f1a-4d2b-9c3e-5a7d9e1f2b4c";
        assertThat(SyncScheduler.offsetMillis(id, 300)).isEqualTo(SyncScheduler.offsetMillis(id, 300));
        assertThat(SyncScheduler.offsetMillis(id, 0)).isZero();
    }

    @Test
    void a_call_outside_keycloaks_timer_task_is_not_the_schedule() {
        assertThat(SyncScheduler.calledByKeycloaksSchedule()).isFalse();
    }

    @Test
    void the_retry_delay_is_a_twentieth_of_the_period_between_5_s_and_a_minute() {
        assertThat(SyncScheduler.retryDelayMillis(10_000)).isEqualTo(5_000);
        assertThat(SyncScheduler.retryDelayMillis(300_000)).isEqualTo(15_000);
        assertThat(SyncScheduler.retryDelayMillis(86_400_000)).isEqualTo(60_000);
    }

    /** Period claims as the state row keeps them: one claim per half period, a released claim free again. */
    private static final class Claims implements SyncScheduler.PeriodClaims {
        final ConcurrentHashMap<String, Long> at = new ConcurrentHashMap<>();
        final List<Long> released = new ArrayList<>();

        @Override
        public Long claim(UserStorageProviderModel model, EntraSync.Trigger trigger, int periodSeconds, long now) {
            Long prev = at.get(model.getId());
            if (prev != null && prev >= now - periodSeconds * 500L) {
                return null;
            }
            at.put(model.getId(), now);
            return now;
        }

        @Override
        public synchronized void release(UserStorageProviderModel model, EntraSync.Trigger trigger, int periodSeconds, long claimedAt) {
            at.replace(model.getId(), claimedAt, claimedAt - periodSeconds * 1000L);
            released.add(claimedAt);
        }
    }

    private static UserStorageProviderModel component() {
        UserStorageProviderModel m = new UserStorageProviderModel();
        m.setId(UUID.randomUUID().toString());
        m.setName("contoso-users");
        return m;
    }

    @Test
    void a_run_that_finds_the_sync_held_gives_the_period_back_and_runs_later_in_the_same_period() throws Exception {
        Claims claims = new Claims();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        Supplier<SynchronizationResult> run = () -> {
            if (calls.incrementAndGet() <= 2) {
                return SynchronizationResult.ignored(); // a full sync still holds it
            }
            ran.countDown();
            return new SynchronizationResult();
        };
        UserStorageProviderModel m = component();
        try (SyncScheduler scheduler = new SyncScheduler(2, Clock.systemUTC(), f -> claims, period -> 50)) {
            assertThat(scheduler.submit(null, m, EntraSync.Trigger.CHANGED, 2, run).isIgnored()).as("Keycloak's timer writes nothing").isTrue();
            assertThat(scheduler.submit(null, m, EntraSync.Trigger.CHANGED, 2, run).isIgnored()).isTrue();
            assertThat(ran.await(5, TimeUnit.SECONDS)).as("the third try ran").isTrue();
            Thread.sleep(200);
            assertThat(calls.get()).as("one run per tick, the second submit of the waiting run was dropped").isEqualTo(3);
            assertThat(claims.released).as("both held tries gave their claim back").hasSize(2);
            assertThat(claims.at.get(m.getId())).as("the period stays claimed by the run that happened").isNotNull()
                    .isGreaterThan(claims.released.get(1));
        }
    }

    @Test
    void a_sync_held_for_the_whole_period_is_left_to_the_next_tick_and_the_next_tick_is_accepted() throws Exception {
        Claims claims = new Claims();
        AtomicInteger calls = new AtomicInteger();
        UserStorageProviderModel m = component();
        try (SyncScheduler scheduler = new SyncScheduler(1, Clock.systemUTC(), f -> claims, period -> 100)) {
            scheduler.submit(null, m, EntraSync.Trigger.FULL, 1, () -> {
                calls.incrementAndGet();
                return SynchronizationResult.ignored();
            });
            Thread.sleep(1_500);
            int tries = calls.get();
            assertThat(tries).as("tried again within the period, then stopped before the next tick").isBetween(1, 10);
            Thread.sleep(300);
            assertThat(calls.get()).as("no try after the period").isEqualTo(tries);
            CountDownLatch next = new CountDownLatch(1);
            scheduler.submit(null, m, EntraSync.Trigger.FULL, 1, () -> {
                next.countDown();
                return new SynchronizationResult();
            });
            assertThat(next.await(3, TimeUnit.SECONDS)).as("the next tick's run is queued, not refused as still waiting").isTrue();
        }
    }

    @Test
    void a_period_another_node_claimed_is_not_run_here() throws Exception {
        Claims claims = new Claims();
        UserStorageProviderModel m = component();
        // the scheduler's clock stands still: the other node's claim stays within the half period however long the offset
        Clock clock = Clock.fixed(java.time.Instant.now(), java.time.ZoneOffset.UTC);
        claims.at.put(m.getId(), clock.millis());
        AtomicInteger calls = new AtomicInteger();
        try (SyncScheduler scheduler = new SyncScheduler(1, clock, f -> claims, period -> 50)) {
            scheduler.submit(null, m, EntraSync.Trigger.CHANGED, 1, () -> {
                calls.incrementAndGet();
                return new SynchronizationResult();
            });
            Thread.sleep(1_200);
            assertThat(calls.get()).isZero();
        }
    }

    @Test
    void keycloaks_timer_task_class_is_the_one_the_schedule_recognises() throws Exception {
        // if Keycloak renames its task, scheduled runs would run inline on Keycloak's timer again: this says so
        assertThat(Class.forName(SyncScheduler.KEYCLOAK_SYNC_TASK).getDeclaredMethod("run", org.keycloak.models.KeycloakSession.class))
                .isNotNull();
    }
}
