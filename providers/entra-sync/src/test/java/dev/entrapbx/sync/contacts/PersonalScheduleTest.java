package dev.entrapbx.sync.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PersonalScheduleTest {

    @Test
    void aPeriodicRunReadsItsShareOfTheRefreshTime() {
        // 1,000 mailboxes, changed sync every 5 minutes, refresh 60 minutes: 84 a run, all within 12 runs
        assertThat(PersonalSchedule.budget(1000, false, 300, 60)).isEqualTo(84);
        assertThat(PersonalSchedule.budget(3, false, 300, 60)).isEqualTo(1);
        assertThat(PersonalSchedule.budget(0, false, 300, 60)).isZero();
    }

    @Test
    void aFullSyncOrNoPeriodReadsAll() {
        assertThat(PersonalSchedule.budget(1000, true, 300, 60)).isEqualTo(1000);
        assertThat(PersonalSchedule.budget(1000, false, 0, 60)).isEqualTo(1000);
        assertThat(PersonalSchedule.budget(1000, false, -1, 60)).isEqualTo(1000);
        assertThat(PersonalSchedule.budget(1000, false, 7200, 60)).as("a period longer than the refresh").isEqualTo(1000);
    }

    @Test
    void newMailboxesFirstThenThoseReadLongestAgo() {
        Map<String, Long> last = Map.of("a", 300L, "b", 100L, "c", 200L);
        assertThat(PersonalSchedule.due(List.of("a", "b", "c", "new"), last, 3)).containsExactly("new", "b", "c");
        assertThat(PersonalSchedule.due(List.of("a", "b"), last, 5)).containsExactly("b", "a");
    }
}
