package io.netplane.endpoints.legacy;

import io.netplane.api.events.ObjectRef;
import java.util.List;
import java.util.Map;

/**
 * A core/v1 Endpoints object as the planner compares it: labels, the over-capacity annotation and the subsets.
 *
 * @param overCapacity carries {@code endpoints.kubernetes.io/over-capacity: truncated}
 */
public record LegacyEndpoints(Map<String, String> labels, boolean overCapacity, List<Subset> subsets) {
    public static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
    public static final int MAX_CAPACITY = 1000;
    /** Marks the Endpoints objects this operator writes, so a user's own (the input of mirroring) is never touched. */
    public static final String MANAGED_BY_LABEL = "endpoints.kubernetes.io/managed-by";
    /** The {@value #MANAGED_BY_LABEL} value of the Endpoints objects this operator writes. */
    public static final String MANAGED_BY = "endpoints-operator.netplane.io";

    public LegacyEndpoints {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        subsets = subsets == null ? List.of() : List.copyOf(subsets);
    }

    /** Written by this operator's endpoints controller (labelled {@value #MANAGED_BY}). */
    public boolean ours() {
        return MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL));
    }

    /** Addresses that offer the same ports. {@code ports} empty for a headless Service without ports. */
    public record Subset(List<Address> addresses, List<Address> notReadyAddresses, List<Port> ports) {
        public Subset {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            notReadyAddresses = notReadyAddresses == null ? List.of() : List.copyOf(notReadyAddresses);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    public record Address(String ip, String hostname, String nodeName, ObjectRef targetRef) {
    }

    public record Port(String name, int port, String protocol, String appProtocol) {
    }
}
