package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

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
}
