package dev.entrapbx.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void answersAsSoonAsTheProbeDoes() {
        AtomicInteger probes = new AtomicInteger();
        Optional<String> answer = Poll.first(Duration.ofSeconds(10),
                () -> probes.incrementAndGet() < 3 ? Optional.empty() : Optional.of("ready"));
        assertThat(answer).hasValue("ready");
        assertThat(probes.get()).isEqualTo(3);
    }

    @Test
    void givesUpAtTheDeadlineAfterProbingRepeatedly() {
        AtomicInteger probes = new AtomicInteger();
        long t0 = System.nanoTime();
        boolean held = Poll.until(Duration.ofMillis(600), () -> {
            probes.incrementAndGet();
            return false;
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(held).isFalse();
        assertThat(ms).isBetween(600L, 3_000L);
        // 50, 100, 200, then every 200 ms: the pause never grows past 200 ms
        assertThat(probes.get()).isGreaterThanOrEqualTo(5);
    }
}
