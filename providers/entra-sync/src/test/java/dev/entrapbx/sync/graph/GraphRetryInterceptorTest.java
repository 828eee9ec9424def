package dev.entrapbx.sync.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class GraphRetryInterceptorTest {

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(GraphRetryInterceptor.retryAfter("7").getAsLong()).isEqualTo(7000);
        assertThat(GraphRetryInterceptor.retryAfter(null)).isEmpty();
        assertThat(GraphRetryInterceptor.retryAfter("soon")).isEmpty();
        String in10s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(GraphRetryInterceptor.retryAfter(in10s).getAsLong()).isBetween(8000L, 10_000L);
    }

    @Test
    void backoffGrowsButStaysUnderTheCapWithJitter() {
        GraphRetryInterceptor r = new GraphRetryInterceptor(6, Duration.ofMillis(100), Duration.ofSeconds(2));
        for (int attempt = 0; attempt < 10; attempt++) {
            long cap = Math.min(2000, 100L << attempt);
            for (int i = 0; i < 50; i++) {
                assertThat(r.backoff(attempt)).isBetween(10L, Math.max(10L, cap));
            }
        }
    }

    @Test
    void onlyThrottlingAndTransientServerErrorsAreRetried() {
        assertThat(GraphRetryInterceptor.retryable(429)).isTrue();
        assertThat(GraphRetryInterceptor.retryable(503)).isTrue();
        assertThat(GraphRetryInterceptor.retryable(504)).isTrue();
        assertThat(GraphRetryInterceptor.retryable(500)).isFalse();
        assertThat(GraphRetryInterceptor.retryable(403)).isFalse();
    }
}
