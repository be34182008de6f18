package io.netplane.ingress.routing;

import java.time.Instant;
import java.util.Comparator;

/**
 * The Ingress a route came from. Origins order the merge: older creationTimestamp first (unknown counts as
 * newest), then {@code namespace/name}. The first origin wins a conflict.
 */
public record Origin(String namespace, String name, Instant createdAt) implements Comparable<Origin> {

    private static final Comparator<Origin> ORDER = Comparator
            .comparing(Origin::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Origin::namespace)
            .thenComparing(Origin::name);

    @Override
    public int compareTo(Origin other) {
        return ORDER.compare(this, other);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
