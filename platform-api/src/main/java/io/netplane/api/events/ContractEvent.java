package io.netplane.api.events;

import java.time.Instant;

/**
 * What every event value on a Netplane topic carries: the key it is published under, the source
 * object's resourceVersion, and the instant the publishing operator observed the change (consumers
 * subtract it from "now" to measure network-programming latency end to end).
 */
public interface ContractEvent {
    /** {@code <namespace>/<name>}, or {@code <name>} for cluster-scoped objects. */
    String key();

    String resourceVersion();

    Instant observedAt();

    static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
