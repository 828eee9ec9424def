package dev.entrapbx.simulator.identity;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests waiting for the user (login form, account picker, consent), keyed by the form's ctx
 * value: authorize requests, and admin-consent requests. Each lives 30 minutes.
 */
final class PendingRequests<T> {
    private static final Duration LIFETIME = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry<T>(T request, Instant expiresAt) { }

    private final Map<String, Entry<T>> pending = new ConcurrentHashMap<>();

    String put(T request) {
        Instant now = Instant.now();
        pending.values().removeIf(e -> e.expiresAt().isBefore(now));
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String ctx = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        pending.put(ctx, new Entry<>(request, now.plus(LIFETIME)));
        return ctx;
    }

    void replace(String ctx, T request) {
        pending.put(ctx, new Entry<>(request, Instant.now().plus(LIFETIME)));
    }

    Optional<T> get(String ctx) {
        Entry<T> e = ctx == null ? null : pending.get(ctx);
        return e == null || e.expiresAt().isBefore(Instant.now()) ? Optional.empty() : Optional.of(e.request());
    }

    void remove(String ctx) {
        pending.remove(ctx);
    }

    void clear() {
        pending.clear();
    }

    /** The page for a ctx that is unknown or has expired. */
    static AadError expired() {
        return new AadError(400, "invalid_request", 90007,
                "The sign-in request was not found or has expired. Start the sign-in again from the application.");
    }
}
