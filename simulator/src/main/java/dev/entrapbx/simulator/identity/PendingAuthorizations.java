package dev.entrapbx.simulator.identity;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Authorize requests waiting for the user (login form, account picker, consent), keyed by the form's ctx value. */
final class PendingAuthorizations {
    private static final Duration LIFETIME = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(AuthorizeRequest request, Instant expiresAt) { }

    private final Map<String, Entry> pending = new ConcurrentHashMap<>();

    String put(AuthorizeRequest request) {
        Instant now = Instant.now();
        pending.values().removeIf(e -> e.expiresAt().isBefore(now));
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String ctx = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        pending.put(ctx, new Entry(request, now.plus(LIFETIME)));
        return ctx;
    }

    void replace(String ctx, AuthorizeRequest request) {
        pending.put(ctx, new Entry(request, Instant.now().plus(LIFETIME)));
    }

    Optional<AuthorizeRequest> get(String ctx) {
        Entry e = ctx == null ? null : pending.get(ctx);
        return e == null || e.expiresAt().isBefore(Instant.now()) ? Optional.empty() : Optional.of(e.request());
    }

    void remove(String ctx) {
        pending.remove(ctx);
    }

    void clear() {
        pending.clear();
    }
}
