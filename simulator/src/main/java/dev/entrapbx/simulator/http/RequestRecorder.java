package dev.entrapbx.simulator.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps the most recent requests (bounded) so a test can check e.g. which headers a Graph client sent. */
public final class RequestRecorder {
    private static final int CAPACITY = 5_000;

    private final ConcurrentLinkedDeque<RecordedRequest> recent = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> counts =
            new java.util.concurrent.ConcurrentHashMap<>();

    void record(Request request) {
        counts.computeIfAbsent(kind(request.path()), k -> new java.util.concurrent.atomic.LongAdder()).increment();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        recent.addFirst(new RecordedRequest(Instant.now(), request.method(), request.path(), request.rawQuery(),
                Map.copyOf(headers)));
        if (size.incrementAndGet() > CAPACITY) {
            recent.pollLast();
            size.decrementAndGet();
        }
    }

    /** The most recent request whose path starts with {@code pathPrefix}. */
    public Optional<RecordedRequest> last(String pathPrefix) {
        for (RecordedRequest r : recent) {
            if (r.path().startsWith(pathPrefix)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Recent requests whose path starts with {@code pathPrefix}, oldest first. */
    public List<RecordedRequest> all(String pathPrefix) {
        List<RecordedRequest> out = new ArrayList<>();
        Iterator<RecordedRequest> it = recent.descendingIterator();
        while (it.hasNext()) {
            RecordedRequest r = it.next();
            if (r.path().startsWith(pathPrefix)) {
                out.add(r);
            }
        }
        return out;
    }

    public void clear() {
        recent.clear();
        size.set(0);
        counts.clear();
    }

    /**
     * Requests received since the start (or the last {@link #resetCounts()}) by kind of path, each step of a JSON
     * batch counted as a request of its own and the batch itself as {@code batch}: {@code contacts},
     * {@code contacts.delta}, {@code contactFolders}, {@code contactFolders.delta}, {@code orgContacts},
     * {@code orgContacts.delta}, {@code users}, {@code users.delta}, {@code groups}, {@code groups.delta},
     * {@code photo}, {@code presence} (presence reads and getPresencesByUserId), {@code setPresence},
     * {@code clearPresence}, {@code getSchedule}, {@code subscriptions}, {@code batch}, {@code graph.other},
     * {@code login}.
     */
    public Map<String, Long> counts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long count(String kind) {
        java.util.concurrent.atomic.LongAdder a = counts.get(kind);
        return a == null ? 0 : a.sum();
    }

    public void resetCounts() {
        counts.clear();
    }

    /** The kind of a request path, for {@link #counts()}. */
    static String kind(String path) {
        if (!path.startsWith("/v1.0/")) {
            return path.startsWith("/oidc/") ? "graph.other" : "login";
        }
        if (path.equals("/v1.0/$batch")) {
            return "batch";
        }
        if (path.endsWith("/presence/setPresence")) {
            return "setPresence";
        }
        if (path.endsWith("/presence/clearPresence") || path.endsWith("/clearPresence")) {
            return "clearPresence";
        }
        if (path.endsWith("/setPresence")) {
            return "setPresence";
        }
        if (path.endsWith("/presence") || path.startsWith("/v1.0/communications/presences")
                || path.equals("/v1.0/communications/getPresencesByUserId")) {
            return "presence";
        }
        if (path.endsWith("/calendar/getSchedule")) {
            return "getSchedule";
        }
        if (path.startsWith("/v1.0/subscriptions")) {
            return "subscriptions";
        }
        boolean delta = path.matches(".*/(delta|delta\\(\\)|microsoft\\.graph\\.delta\\(\\))/?$");
        String suffix = delta ? ".delta" : "";
        if (path.matches("^/v1\\.0/users/[^/]+/contactFolders(/[^/]+(/childFolders(/[^/]+)?)?)?/?(/delta.*)?$")
                && !path.contains("/contacts")) {
            return "contactFolders" + suffix;
        }
        if (path.matches("^/v1\\.0/(users|me)/.*contacts(/.*)?$")) {
            return "contacts" + suffix;
        }
        if (path.startsWith("/v1.0/contacts")) {
            return "orgContacts" + suffix;
        }
        if (path.contains("/photo")) {
            return "photo";
        }
        if (path.startsWith("/v1.0/users") || path.startsWith("/v1.0/me")) {
            return "users" + suffix;
        }
        if (path.startsWith("/v1.0/groups")) {
            return "groups" + suffix;
        }
        return "graph.other";
    }
}
