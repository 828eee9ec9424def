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

    void record(Request request) {
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
    }
}
