package io.netplane.policy.it;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.runtime.kafka.SnapshotFollower;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Follows contract topics and keeps the latest value per key (tombstones remove it), with arrival times. */
final class TopicRecorder implements AutoCloseable {
    private final Map<String, ContractEvent> latest = new ConcurrentHashMap<>();
    private final Map<String, Instant> arrived = new ConcurrentHashMap<>();
    private final SnapshotFollower follower;

    TopicRecorder(String bootstrapServers, List<Topic<?>> topics) {
        follower = new SnapshotFollower(bootstrapServers, "policy-it-" + System.nanoTime(), topics, (topic, key, value) -> {
            String k = topic.name() + "|" + key;
            arrived.put(k, Instant.now());
            if (value == null) {
                latest.remove(k);
            } else {
                latest.put(k, value);
            }
        }).start();
        try {
            follower.awaitCaughtUp(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    <T extends ContractEvent> T get(Topic<T> topic, String key) {
        return (T) latest.get(topic.name() + "|" + key);
    }

    Instant arrivedAt(Topic<?> topic, String key) {
        return arrived.get(topic.name() + "|" + key);
    }

    @Override
    public void close() {
        follower.close();
    }
}
