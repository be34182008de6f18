package io.netplane.endpoints.reconciler;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers our own slice writes per Service until the informer cache shows them (upstream
 * {@code EndpointSliceTracker}): planning from a cache that has not yet seen our last create would create the same
 * slices twice. Resource versions are compared as numbers, which they are on etcd-backed API servers.
 */
final class WriteTracker {
    private static final long DELETED = -1;
    private final Map<String, Map<String, Long>> expected = new ConcurrentHashMap<>();

    void written(String serviceKey, EndpointSlice result) {
        expected.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>())
                .put(result.getMetadata().getName(), version(result));
    }

    void deleted(String serviceKey, String sliceName) {
        expected.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>()).put(sliceName, DELETED);
    }

    /** True when the cached slices do not yet reflect every write we made; expectations that are met are dropped. */
    boolean isStale(String serviceKey, Collection<EndpointSlice> cached) {
        Map<String, Long> want = expected.get(serviceKey);
        if (want == null || want.isEmpty()) {
            return false;
        }
        Map<String, Long> have = new HashMap<>();
        cached.forEach(s -> have.put(s.getMetadata().getName(), version(s)));
        want.entrySet().removeIf(e -> e.getValue() == DELETED ? !have.containsKey(e.getKey())
                : have.getOrDefault(e.getKey(), Long.MIN_VALUE) >= e.getValue());
        return !want.isEmpty();
    }

    /**
     * Someone deleted a slice (this operator or another writer): whatever was expected of it, no newer version of
     * it will come, so it no longer makes the cache stale and the Service is reconciled (and the slice recreated).
     */
    void observedDeletion(String serviceKey, String sliceName) {
        Map<String, Long> want = expected.get(serviceKey);
        if (want != null) {
            want.remove(sliceName);
        }
    }

    /** Drops every expectation: after a gap without the Lease, the cache, not our old writes, is the truth. */
    void clear() {
        expected.clear();
    }

    void forget(String serviceKey) {
        expected.remove(serviceKey);
    }

    private static long version(EndpointSlice s) {
        try {
            return Long.parseLong(s.getMetadata().getResourceVersion());
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }
}
