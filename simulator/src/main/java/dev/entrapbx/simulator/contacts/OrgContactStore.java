package dev.entrapbx.simulator.contacts;

import dev.entrapbx.simulator.directory.DirectoryException;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The organizational contacts of one tenant with their change numbers: when each contact was created and when each
 * of its properties last changed, so delta can honour {@code $select} (only selected properties are tracked) and
 * {@code Prefer: return=minimal}; deletions are tombstones until the tokens expire. Methods hold the store's monitor.
 */
public final class OrgContactStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A contact with the change number of its creation and of each property's last change. */
    public record Entry(OrgContact contact, long createdSeq, Map<String, Long> changedAt) {
        /** The last change to any of the given properties (or to the object's existence). */
        public long lastChange(Iterable<String> tracked) {
            long last = createdSeq;
            for (String p : tracked) {
                Long c = changedAt.get(p);
                if (c != null && c > last) {
                    last = c;
                }
            }
            return last;
        }
    }

    private final long epoch = RANDOM.nextLong() & Long.MAX_VALUE;
    private final TreeMap<String, Entry> contacts = new TreeMap<>();
    /** change number -> id of a deleted contact. */
    private final TreeMap<Long, String> removed = new TreeMap<>();
    private long change;
    private long expiryGeneration;

    public synchronized <T> T read(Function<OrgContactStore, T> reader) {
        return reader.apply(this);
    }

    public long epoch() { return epoch; }
    public long head() { return change; }
    public long expiryGeneration() { return expiryGeneration; }

    /** Live view by id (lower-case GUIDs), valid under read() only. */
    public NavigableMap<String, Entry> contacts() { return Collections.unmodifiableNavigableMap(contacts); }

    public NavigableMap<Long, String> removed() { return Collections.unmodifiableNavigableMap(removed); }

    public Optional<OrgContact> get(String id) {
        Entry e = id == null ? null : contacts.get(id.toLowerCase(java.util.Locale.ROOT));
        return e == null ? Optional.empty() : Optional.of(e.contact());
    }

    synchronized OrgContact create(OrgContact c) {
        if (contacts.containsKey(c.id())) {
            throw DirectoryException.conflict("An object with id " + c.id() + " already exists");
        }
        contacts.put(c.id(), new Entry(c, ++change, Map.of()));
        return c;
    }

    synchronized OrgContact update(String id, UnaryOperator<OrgContact> update) {
        Entry e = require(id);
        OrgContact after = update.apply(e.contact());
        Set<String> changed = OrgContact.changed(e.contact(), after);
        if (changed.isEmpty()) {
            return e.contact();
        }
        long seq = ++change;
        Map<String, Long> at = new HashMap<>(e.changedAt());
        changed.forEach(p -> at.put(p, seq));
        contacts.put(e.contact().id(), new Entry(after, e.createdSeq(), Map.copyOf(at)));
        return after;
    }

    synchronized OrgContact delete(String id) {
        Entry e = require(id);
        contacts.remove(e.contact().id());
        removed.put(++change, e.contact().id());
        return e.contact();
    }

    synchronized void expireDelta() {
        expiryGeneration++;
        removed.headMap(change, true).clear();
    }

    private Entry require(String id) {
        Entry e = id == null ? null : contacts.get(id.toLowerCase(java.util.Locale.ROOT));
        if (e == null) {
            throw DirectoryException.notFound("Resource '" + id + "' does not exist or one of its queried "
                    + "reference-property objects are not present.");
        }
        return e;
    }
}
