package io.netplane.policy.kafka;

import io.netplane.api.events.Topics;
import io.netplane.runtime.kafka.SnapshotFollower;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys currently live on the policies and ipsets topics, read once at start, so keys of objects deleted
 * while the operator was down can be tombstoned.
 */
public final class PublishedKeys {
    private final Set<String> policies = ConcurrentHashMap.newKeySet();
    private final Set<String> sets = ConcurrentHashMap.newKeySet();

    /** Reads both topics up to their end offsets; returns null when they could not be read in time. */
    public static PublishedKeys read(String bootstrapServers, Duration timeout) throws InterruptedException {
        PublishedKeys keys = new PublishedKeys();
        try (SnapshotFollower f = new SnapshotFollower(bootstrapServers, "policy-operator-keys",
                List.of(Topics.POLICIES, Topics.IP_SETS), (topic, key, value) -> {
                    Set<String> target = topic.equals(Topics.POLICIES) ? keys.policies : keys.sets;
                    if (value == null) {
                        target.remove(key);
                    } else {
                        target.add(key);
                    }
                }).start()) {
            return f.awaitCaughtUp(timeout) ? keys : null;
        }
    }

    public Set<String> policies() {
        return Set.copyOf(policies);
    }

    public Set<String> sets() {
        return Set.copyOf(sets);
    }
}
