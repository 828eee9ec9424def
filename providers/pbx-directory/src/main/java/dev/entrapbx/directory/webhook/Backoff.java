package dev.entrapbx.directory.webhook;

import java.util.random.RandomGenerator;

/**
 * Retry waits: exponential with full jitter. After the n-th consecutive failure the next attempt
 * waits a uniformly random time in {@code [0, min(max, base * 2^(n-1))]}.
 */
record Backoff(long baseMillis, long maxMillis) {

    Backoff {
        if (baseMillis < 1 || maxMillis < baseMillis) {
            throw new IllegalArgumentException("Webhook retry waits need 1 <= base <= max (millis), not base " + baseMillis + ", max " + maxMillis + ".");
        }
    }

    /** The upper bound of the wait after {@code failures} consecutive failures (at least 1). */
    long ceiling(int failures) {
        int n = Math.max(1, failures) - 1;
        if (n >= 62 || baseMillis > (maxMillis >> n)) {
            return maxMillis;
        }
        return Math.min(maxMillis, baseMillis << n);
    }

    long delay(int failures, RandomGenerator random) {
        return random.nextLong(ceiling(failures) + 1);
    }
}
