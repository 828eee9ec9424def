package dev.entrapbx.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeedRetentionTest {

    @Test
    void retentionIsAWholeNumberOfDaysInRange() {
        assertThat(FeedRetention.parse(" 30 ")).isEqualTo(30);
        assertThat(FeedRetention.parse("1")).isEqualTo(1);
        assertThat(FeedRetention.parse("3650")).isEqualTo(3650);
        for (String bad : new String[] {"0", "-1", "3651", "1.5", "thirty", ""}) {
            assertThatThrownBy(() -> FeedRetention.parse(bad)).as(bad).hasMessageContaining("from 1 to 3650");
        }
    }
}
