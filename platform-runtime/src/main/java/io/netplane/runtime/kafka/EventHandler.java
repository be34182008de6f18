package io.netplane.runtime.kafka;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;

/** Receives the events a {@link SnapshotFollower} reads, on the follower's thread, in partition order. */
public interface EventHandler {
    /**
     * One event. {@code value} is null for a tombstone.
     */
    void onEvent(Topic<?> topic, String key, ContractEvent value);

    /** Called once, when every partition has been read up to the end offsets taken at start. */
    default void onCaughtUp() {
    }
}
