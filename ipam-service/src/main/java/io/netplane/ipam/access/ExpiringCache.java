package io.netplane.ipam.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small map whose entries expire {@code ttl} after they were put, holding at most {@code maxEntries} (the least
 * recently used goes first). A zero TTL or size keeps nothing. Thread-safe.
 */
public final class ExpiringCache<K, V> {
    private record Entry<V>(V value, Instant expires) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final LinkedHashMap<K, Entry<V>> entries;

    public ExpiringCache(Clock clock, Duration ttl, int maxEntries) {
        if (ttl.isNegative() || maxEntries < 0) {
            throw new IllegalArgumentException("cache TTL and size must not be negative: " + ttl + ", " + maxEntries);
        }
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > ExpiringCache.this.maxEntries;
            }
        };
    }

    public synchronized Optional<V> get(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    public synchronized void put(K key, V value) {
        if (ttl.isZero() || maxEntries == 0) {
            return;
        }
        entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
    }

    public synchronized int size() {
        return entries.size();
    }
}
