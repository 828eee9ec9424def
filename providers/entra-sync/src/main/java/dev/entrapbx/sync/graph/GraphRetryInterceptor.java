package dev.entrapbx.sync.graph;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.jboss.logging.Logger;

/**
 * Graph's throttling guidance, as an OkHttp interceptor in place of Kiota's RetryHandler: 429,
 * 503 and 504 are retried after {@code Retry-After} (seconds or an HTTP date) when Graph sends
 * one, else after an exponential backoff with full jitter; reads that fail on the wire (reset,
 * cut body) are retried the same way. Retries are bounded; the last answer or error is passed
 * on. Every request carries {@code x-ms-throttle-priority: low}: a sync is background work, so
 * Graph throttles it before the users' interactive traffic.
 */
public final class GraphRetryInterceptor implements Interceptor {

    private static final Logger LOG = Logger.getLogger(GraphRetryInterceptor.class);
    public static final String PRIORITY_HEADER = "x-ms-throttle-priority";

    private final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final AtomicInteger retries = new AtomicInteger();

    public GraphRetryInterceptor(int maxRetries, Duration baseDelay, Duration maxDelay) {
        this.maxRetries = maxRetries;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /** Retries made so far through this interceptor (for the run log). */
    public int retries() {
        return retries.get();
    }

    static boolean retryable(int status) {
        return status == 429 || status == 503 || status == 504;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request().newBuilder().header(PRIORITY_HEADER, "low").build();
        boolean idempotent = "GET".equals(request.method());
        for (int attempt = 0; ; attempt++) {
            Response response;
            try {
                response = chain.proceed(request);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (!idempotent || attempt >= maxRetries) {
                    throw e;
                }
                pause(backoff(attempt), request, "I/O error " + e.getMessage());
                continue;
            }
            if (!retryable(response.code()) || attempt >= maxRetries) {
                return response;
            }
            long wait = retryAfter(response.header("Retry-After")).orElse(backoff(attempt));
            int code = response.code();
            response.close();
            pause(Math.min(wait, maxDelay.toMillis()), request, "HTTP " + code);
        }
    }

    private void pause(long millis, Request request, String why) throws IOException {
        pause(millis, request.method() + " " + request.url().encodedPath(), why);
    }

    /** Bounded retries per request of a JSON batch (Graph throttles them one by one): attempts after the first. */
    int maxRetries() {
        return maxRetries;
    }

    /** How long to wait before the retry after {@code attempt}: the answer's Retry-After, else the backoff; capped. */
    long delay(int attempt, String retryAfterHeader) {
        return Math.min(retryAfter(retryAfterHeader).orElse(backoff(attempt)), maxDelay.toMillis());
    }

    /** Waits before retrying (counted like every other retry). */
    void pause(long millis, String what, String why) throws InterruptedIOException {
        retries.incrementAndGet();
        LOG.debugf("Graph %s: %s, retrying in %d ms", what, why, millis);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry a Graph request");
        }
    }

    /** Full jitter: uniform in [0, min(max, base * 2^attempt)], at least 10 ms. */
    long backoff(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt, 20));
        return Math.max(10, ThreadLocalRandom.current().nextLong(cap + 1));
    }

    static OptionalLong retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return OptionalLong.empty();
        }
        String h = header.trim();
        try {
            return OptionalLong.of(Math.max(0, Long.parseLong(h)) * 1000);
        } catch (NumberFormatException ignored) {
            // an HTTP date
        }
        try {
            long at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return OptionalLong.of(Math.max(0, at - System.currentTimeMillis()));
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }
}
