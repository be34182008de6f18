package io.netplane.dns.records;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable map split into shards by key hash, so that a copy with a few keys changed copies only the shards
 * they fall in: a zone snapshot after one Service change costs a few hundred entries, not the whole zone.
 */
final class ShardedMap<K, V> {
    private static final int SHARDS = 256;
    private final Map<K, V>[] shards;
    private final int size;

    private ShardedMap(Map<K, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> ShardedMap<K, V> empty() {
        Map<K, V>[] shards = new Map[SHARDS];
        Arrays.fill(shards, Map.of());
        return new ShardedMap<>(shards, 0);
    }

    static <K, V> ShardedMap<K, V> of(Map<K, V> all) {
        return ShardedMap.<K, V>empty().with(all);
    }

    V get(K key) {
        return shards[shard(key)].get(key);
    }

    boolean containsKey(K key) {
        return shards[shard(key)].containsKey(key);
    }

    int size() {
        return size;
    }

    List<V> values() {
        List<V> all = new ArrayList<>(size);
        for (Map<K, V> s : shards) {
            all.addAll(s.values());
        }
        return all;
    }

    List<K> keys() {
        List<K> all = new ArrayList<>(size);
        for (Map<K, V> s : shards) {
            all.addAll(s.keySet());
        }
        return all;
    }

    /** A copy with each key of {@code changes} set to its value, or removed where the value is null. */
    ShardedMap<K, V> with(Map<K, V> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<K, V>[] next = shards.clone();
        Map<Integer, Map<K, V>> copied = new HashMap<>();
        int newSize = size;
        for (Map.Entry<K, V> change : changes.entrySet()) {
            int i = shard(change.getKey());
            Map<K, V> shard = copied.computeIfAbsent(i, n -> new HashMap<>(shards[n]));
            boolean had = shard.containsKey(change.getKey());
            if (change.getValue() == null) {
                shard.remove(change.getKey());
                newSize -= had ? 1 : 0;
            } else {
                shard.put(change.getKey(), change.getValue());
                newSize += had ? 0 : 1;
            }
        }
        copied.forEach((i, shard) -> next[i] = shard);
        return new ShardedMap<>(next, newSize);
    }

    /** Sets of keys: the keys of {@code changes} are added where true, removed where false. */
    static <K> ShardedMap<K, Boolean> withKeys(ShardedMap<K, Boolean> set, Map<K, Boolean> changes) {
        Map<K, Boolean> asValues = new HashMap<>(changes.size() * 2);
        changes.forEach((k, present) -> asValues.put(k, present ? Boolean.TRUE : null));
        return set.with(asValues);
    }

    static <K> ShardedMap<K, Boolean> ofKeys(Collection<K> keys) {
        Map<K, Boolean> all = new HashMap<>(keys.size() * 2);
        keys.forEach(k -> all.put(k, Boolean.TRUE));
        return of(all);
    }

    private static int shard(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16) ^ (h >>> 8)) & (SHARDS - 1);
    }
}
