package io.netplane.endpoints.legacy;

import java.util.Objects;

/**
 * What to write to a Service's core/v1 Endpoints object, shaped like the slices' plan: create it, update it in place,
 * delete it, or leave it.
 *
 * @param endpoints the content to write for {@link Op#CREATE} and {@link Op#UPDATE}; null otherwise
 */
public record EndpointsPlan(Op op, LegacyEndpoints endpoints) {
    public enum Op { CREATE, UPDATE, DELETE, NOTHING }

    public static final EndpointsPlan NOTHING = new EndpointsPlan(Op.NOTHING, null);
    public static final EndpointsPlan DELETE = new EndpointsPlan(Op.DELETE, null);

    public EndpointsPlan {
        Objects.requireNonNull(op, "op");
        if ((op == Op.CREATE || op == Op.UPDATE) != (endpoints != null)) {
            throw new IllegalArgumentException(op + " with " + (endpoints == null ? "no" : "an") + " object");
        }
    }

    public static EndpointsPlan create(LegacyEndpoints endpoints) {
        return new EndpointsPlan(Op.CREATE, endpoints);
    }

    public static EndpointsPlan update(LegacyEndpoints endpoints) {
        return new EndpointsPlan(Op.UPDATE, endpoints);
    }

    /** API requests this plan costs. */
    public int apiWrites() {
        return op == Op.NOTHING ? 0 : 1;
    }
}
