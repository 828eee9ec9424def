package dev.entrapbx.directory.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(1_000, 600_000);

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(1_000);
        assertThat(backoff.ceiling(2)).isEqualTo(2_000);
        assertThat(backoff.ceiling(3)).isEqualTo(4_000);
        assertThat(backoff.ceiling(10)).isEqualTo(512_000);
        assertThat(backoff.ceiling(11)).isEqualTo(600_000);
        assertThat(backoff.ceiling(64)).isEqualTo(600_000);
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).as("no overflow").isEqualTo(600_000);
        assertThat(backoff.ceiling(0)).isEqualTo(1_000);
    }

    @Test
    void delaysAreFullJitterWithinZeroAndTheCeiling() {
        Random random = new Random(42);
        for (int failures = 1; failures <= 20; failures++) {
            long ceiling = backoff.ceiling(failures);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long d = backoff.delay(failures, random);
                assertThat(d).isBetween(0L, ceiling);
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            assertThat(min).as("spread down to near 0 (full jitter)").isLessThan(ceiling / 20 + 1);
            assertThat(max).as("spread up to near the ceiling").isGreaterThan(ceiling - ceiling / 20 - 1);
        }
    }

    @Test
    void boundsAreChecked() {
        assertThatThrownBy(() -> new Backoff(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(10, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
