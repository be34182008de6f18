package io.netplane.policy.records;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;

/** One record to send: a value under its key, or a tombstone ({@code value} null). */
public record Outgoing(Topic<?> topic, String key, ContractEvent value) {

    public static Outgoing put(Topic<?> topic, ContractEvent value) {
        return new Outgoing(topic, value.key(), value);
    }

    public static Outgoing tombstone(Topic<?> topic, String key) {
        return new Outgoing(topic, key, null);
    }
}
