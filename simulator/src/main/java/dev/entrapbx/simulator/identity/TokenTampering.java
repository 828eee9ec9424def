package dev.entrapbx.simulator.identity;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Test-only registry: "issue the next N ID tokens for client X with defect Y". Thread-safe. */
public final class TokenTampering {
    private final Map<String, Deque<IdTokenDefect>> pending = new LinkedHashMap<>();

    /** Queues {@code count} defective ID tokens for this client (after any already queued). */
    public synchronized void nextIdTokens(String clientId, IdTokenDefect defect, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1");
        }
        Deque<IdTokenDefect> q = pending.computeIfAbsent(key(clientId), k -> new ArrayDeque<>());
        for (int i = 0; i < count; i++) {
            q.addLast(defect);
        }
    }

    /** Takes the next queued defect for this client, if any. */
    public synchronized Optional<IdTokenDefect> take(String clientId) {
        Deque<IdTokenDefect> q = pending.get(key(clientId));
        if (q == null || q.isEmpty()) {
            return Optional.empty();
        }
        IdTokenDefect d = q.pollFirst();
        if (q.isEmpty()) {
            pending.remove(key(clientId));
        }
        return Optional.of(d);
    }

    public synchronized int pending(String clientId) {
        Deque<IdTokenDefect> q = pending.get(key(clientId));
        return q == null ? 0 : q.size();
    }

    public synchronized void clear() {
        pending.clear();
    }

    private static String key(String clientId) {
        return clientId.toLowerCase(Locale.ROOT);
    }
}
