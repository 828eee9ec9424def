package dev.entrapbx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theSizeBoundHoldsAndTheLeastRecentlyUsedEntryGoesFirst() {
        TestClock clock = new TestClock();
        BoundedCache<String, Integer> cache = new BoundedCache<>(3, clock);
        cache.put("a", 1, Duration.ofHours(1));
        cache.put("b", 2, Duration.ofHours(1));
        cache.put("c", 3, Duration.ofHours(1));
        assertThat(cache.get("a")).contains(1); // "a" is now the most recently used

        cache.put("d", 4, Duration.ofHours(1));
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("b")).as("least recently used, evicted").isEmpty();
        assertThat(cache.get("a")).contains(1);
        assertThat(cache.get("d")).contains(4);

        for (int i = 0; i < 10_000; i++) { // a flood of new tenants
            cache.put("tenant-" + i, i, Duration.ofHours(1));
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        assertThat(cache.get("tenant-9999")).contains(9999);
    }

    @Test
    void expiredEntriesAreNotServedAndGoBeforeLiveOnesWhenFull() {
        TestClock clock = new TestClock();
        BoundedCache<String, String> cache = new BoundedCache<>(2, clock);
        cache.put("short", "s", Duration.ofMinutes(1));
        cache.put("long", "l", Duration.ofHours(1));
        assertThat(cache.get("short")).contains("s"); // recently used, but about to expire

        clock.advance(Duration.ofMinutes(2));
        cache.put("new", "n", Duration.ofHours(1));
        assertThat(cache.get("long")).as("the live entry stays; the expired one made room").contains("l");
        assertThat(cache.get("short")).isEmpty();
        assertThat(cache.get("new")).contains("n");

        clock.advance(Duration.ofHours(1));
        assertThat(cache.get("long")).isEmpty();
        assertThat(cache.size()).isEqualTo(1); // "new" not read since, not yet dropped
    }

    @Test
    void failuresAreRethrownForTheirShorterTimeAndCountTowardsTheBound() {
        TestClock clock = new TestClock();
        BoundedCache<String, String> cache = new BoundedCache<>(2, clock);
        EntraException refused = new EntraException("Graph GET /domains answered 403", 403, "Authorization_RequestDenied", null);
        cache.putFailure("tenant-a", refused, Duration.ofMinutes(10));
        cache.put("tenant-b", "ok", Duration.ofHours(1));

        assertThatThrownBy(() -> cache.get("tenant-a")).isSameAs(refused);
        clock.advance(Duration.ofMinutes(11));
        assertThat(cache.get("tenant-a")).as("the failure is forgotten after its own, shorter time").isEmpty();
        assertThat(cache.get("tenant-b")).contains("ok");

        for (int i = 0; i < 100; i++) { // tenants that keep failing cannot grow the cache either
            cache.putFailure("failing-" + i, refused, Duration.ofMinutes(10));
        }
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aZeroTimeToLiveStoresNothing() {
        BoundedCache<String, String> cache = new BoundedCache<>(2, new TestClock());
        cache.put("k", "v", Duration.ofHours(1));
        cache.put("k", "v2", Duration.ZERO);
        assertThat(cache.get("k")).isEmpty();
        assertThat(cache.size()).isZero();
        assertThatThrownBy(() -> new BoundedCache<String, String>(0, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }
}
