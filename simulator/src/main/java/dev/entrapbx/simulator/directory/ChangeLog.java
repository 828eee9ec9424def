package dev.entrapbx.simulator.directory;

import dev.entrapbx.simulator.model.MemberRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Append-only change log of one tenant with monotonic sequence numbers; each event links to the previous
 * event of the same object so a delta round can summarise an object's changes without scanning the log.
 * Not thread-safe: the owning {@link TenantStore} guards it with its lock.
 */
final class ChangeLog implements ChangeHistory {
    private List<ChangeEvent> events = new ArrayList<>();
    private long firstSeq = 1;
    private final Map<String, Long> lastSeqByObject = new HashMap<>();
    private final Consumer<ChangeEvent> listener;

    ChangeLog(Consumer<ChangeEvent> listener) {
        this.listener = listener;
    }

    ChangeEvent append(ChangeEvent.ResourceKind resource, String objectId, ChangeEvent.ChangeType type,
                       Set<String> changedProperties, MemberRef member) {
        long seq = firstSeq + events.size();
        String key = key(resource, objectId);
        Long previous = lastSeqByObject.put(key, seq);
        long prev = previous == null || previous < firstSeq ? 0 : previous;
        ChangeEvent event = new ChangeEvent(seq, resource, objectId, type,
                changedProperties == null ? Set.of() : Set.copyOf(changedProperties), member, prev);
        events.add(event);
        listener.accept(event);
        return event;
    }

    @Override
    public long head() {
        return firstSeq + events.size() - 1;
    }

    @Override
    public ChangeEvent get(long seq) {
        long index = seq - firstSeq;
        return index < 0 || index >= events.size() ? null : events.get((int) index);
    }

    @Override
    public long lastSeqOf(ChangeEvent.ResourceKind resource, String objectId) {
        Long seq = lastSeqByObject.get(key(resource, objectId));
        return seq == null || seq < firstSeq ? 0 : seq;
    }

    @Override
    public long firstSeq() {
        return firstSeq;
    }

    /** Forgets events older than {@code seq} (they can no longer be asked for once delta tokens expired). */
    void trimBefore(long seq) {
        if (seq <= firstSeq) {
            return;
        }
        int drop = (int) Math.min(events.size(), seq - firstSeq);
        events = new ArrayList<>(events.subList(drop, events.size()));
        firstSeq += drop;
        lastSeqByObject.values().removeIf(s -> s < firstSeq);
    }

    private static String key(ChangeEvent.ResourceKind resource, String objectId) {
        return resource == ChangeEvent.ResourceKind.USER ? "u:" + objectId : "g:" + objectId;
    }
}
