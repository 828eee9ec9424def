package dev.entrapbx.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small in-memory cache with a size cap and an expiry per entry, for per-tenant lookups whose key
 * space an outsider controls: with "Allow any tenant" every Entra tenant in the world can make the
 * broker look something up, and an unbounded map would keep every answer (and every failure) for
 * the life of the server.
 *
 * <p>Entries expire after the time given when they are put; a failure can be cached too (usually
 * for a shorter time than a value), so a tenant that keeps failing is not asked at every sign-in.
 * When the cap is reached, expired entries go first, then the least recently used ones.
 *
 * <p>Thread-safe (one lock). Loading happens outside the lock, in the caller: two threads missing
 * the same key at once both load it, which is what the unbounded maps before did too. Keycloak's
 * distribution does not promise a general-purpose cache library to extensions (Caffeine is not
 * guaranteed on its class path, and its Infinispan caches are for sessions and realms), and these
 * caches are small, so this is a {@link LinkedHashMap} in access order rather than a new jar.
 *
 * @param <K> the key
 * @param <V> the cached value
 */
public final class BoundedCache<K, V> {

    private record Entry<V>(V value, RuntimeException failure, Instant expires) {
    }

    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<K, Entry<V>> entries;

    /**
     * @param maxEntries the most entries kept (values and failures together), at least 1
     * @param clock the clock that expiry is measured with
     */
    public BoundedCache(int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock);
        this.entries = new LinkedHashMap<>(16, 0.75f, true); // access order: the eldest is the least recently used
    }

    /**
     * The live value for {@code key}, or empty when there is none or it has expired.
     *
     * @throws RuntimeException the cached failure, when a live one is stored for the key
     */
    public synchronized Optional<V> get(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        if (e.failure() != null) {
            throw e.failure();
        }
        return Optional.of(e.value());
    }

    /** Keeps {@code value} for {@code ttl}; a ttl of zero or less removes the key instead. */
    public void put(K key, V value, Duration ttl) {
        store(key, new Entry<>(Objects.requireNonNull(value), null, expiry(ttl)), ttl);
    }

    /** Remembers that loading {@code key} failed: {@link #get} rethrows {@code failure} for {@code ttl}. */
    public void putFailure(K key, RuntimeException failure, Duration ttl) {
        store(key, new Entry<>(null, Objects.requireNonNull(failure), expiry(ttl)), ttl);
    }

    public synchronized void remove(K key) {
        entries.remove(key);
    }

    /** Entries held now, expired ones not yet dropped included. */
    public synchronized int size() {
        return entries.size();
    }

    public int maxEntries() {
        return maxEntries;
    }

    private Instant expiry(Duration ttl) {
        return ttl.isNegative() || ttl.isZero() ? Instant.MIN : clock.instant().plus(ttl);
    }

    private synchronized void store(K key, Entry<V> entry, Duration ttl) {
        Objects.requireNonNull(key);
        if (ttl.isNegative() || ttl.isZero()) {
            entries.remove(key);
            return;
        }
        entries.put(key, entry);
        if (entries.size() > maxEntries) {
            dropExpired();
        }
        Iterator<Map.Entry<K, Entry<V>>> eldest = entries.entrySet().iterator();
        while (entries.size() > maxEntries && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    private void dropExpired() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> !now.isBefore(e.expires()));
    }
}
