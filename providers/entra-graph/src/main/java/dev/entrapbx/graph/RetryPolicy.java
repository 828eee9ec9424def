package dev.entrapbx.graph;

import java.time.Duration;

/**
 * The one retry policy for background Graph work ({@link GraphRetryInterceptor}): requests after the
 * first (per request), the backoff base and cap, and the read timeout.
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration readTimeout) {

    /** 6 retries (7 requests at most), backoff from 1 s, every wait capped at 60 s, 100 s to read an answer. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(100));
    }
}
