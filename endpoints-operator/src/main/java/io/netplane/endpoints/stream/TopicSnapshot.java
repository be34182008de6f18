package io.netplane.endpoints.stream;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.SnapshotFollower;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is live on our topics at start: key → digest of the last value, tombstoned keys removed. Compared with what
 * the API lists, it tells which keys to tombstone (objects deleted while the operator was down) and which values
 * need not be republished.
 */
public final class TopicSnapshot {
    private TopicSnapshot() {
    }

    /** Reads the topics up to their end offsets; throws if that takes longer than {@code timeout}. */
    public static Map<String, Map<String, Digest>> read(String bootstrapServers, List<Topic<?>> topics, Duration timeout)
            throws InterruptedException {
        Map<String, Map<String, Digest>> live = new ConcurrentHashMap<>();
        topics.forEach(t -> live.put(t.name(), new HashMap<>()));
        EventHandler handler = new EventHandler() {
            @Override
            public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                Map<String, Digest> keys = live.get(topic.name());
                if (value == null) {
                    keys.remove(key);
                } else {
                    keys.put(key, Digest.of(value));
                }
            }
        };
        try (SnapshotFollower follower = new SnapshotFollower(bootstrapServers, "endpoints-operator-snapshot",
                topics, handler).start()) {
            if (!follower.awaitCaughtUp(timeout)) {
                throw new IllegalStateException("Kafka snapshot of " + topics + " not read within " + timeout);
            }
        }
        return live;
    }
}
