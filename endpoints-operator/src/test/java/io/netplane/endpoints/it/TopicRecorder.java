package io.netplane.endpoints.it;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.SnapshotFollower;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test consumer: records every event on the given topics, in order, as an outside consumer would see them. */
public final class TopicRecorder implements AutoCloseable {
    /** One record as read: {@code value} null for a tombstone. */
    public record Seen(String topic, String key, ContractEvent value) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, ContractEvent> latest = new ConcurrentHashMap<>();
    private final SnapshotFollower follower;

    public TopicRecorder(String bootstrapServers, List<Topic<?>> topics) {
        follower = new SnapshotFollower(bootstrapServers, "test-recorder-" + System.nanoTime(), topics,
                new EventHandler() {
                    @Override
                    public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                        seen.add(new Seen(topic.name(), key, value));
                    }
                }).start();
    }

    /** Every event for {@code key} on {@code topic}, oldest first. */
    public List<Seen> history(Topic<?> topic, String key) {
        List<Seen> out = new ArrayList<>();
        for (Seen s : seen) {
            if (s.topic().equals(topic.name()) && s.key().equals(key)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The last event for the key, if any was read. */
    public Optional<Seen> last(Topic<?> topic, String key) {
        List<Seen> h = history(topic, key);
        return h.isEmpty() ? Optional.empty() : Optional.of(h.get(h.size() - 1));
    }

    /** The last value for the key, cast to the topic's type; empty if none or if the last event is a tombstone. */
    public <T extends ContractEvent> Optional<T> value(Topic<T> topic, String key) {
        return last(topic, key).map(Seen::value).map(topic.valueType()::cast);
    }

    public boolean isTombstoned(Topic<?> topic, String key) {
        return last(topic, key).map(s -> s.value() == null).orElse(false);
    }

    @Override
    public void close() {
        follower.close();
    }
}
