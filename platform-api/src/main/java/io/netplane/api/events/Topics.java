package io.netplane.api.events;

import java.util.List;

/** The topics of the event contract (all log-compacted, keyed by object key). Change only with a version bump. */
public final class Topics {
    public static final Topic<ServiceView> SERVICES =
            new Topic<>("netplane.services.v1", "io.netplane.service.v1", ServiceView.class);
    public static final Topic<EndpointSliceView> ENDPOINT_SLICES =
            new Topic<>("netplane.endpointslices.v1", "io.netplane.endpointslice.v1", EndpointSliceView.class);
    public static final Topic<PodView> PODS =
            new Topic<>("netplane.pods.v1", "io.netplane.pod.v1", PodView.class);
    public static final Topic<NodeView> NODES =
            new Topic<>("netplane.nodes.v1", "io.netplane.node.v1", NodeView.class);
    public static final Topic<AllocationView> ALLOCATIONS =
            new Topic<>("netplane.allocations.v1", "io.netplane.allocation.v1", AllocationView.class);
    public static final Topic<RouteView> ROUTES =
            new Topic<>("netplane.routes.v1", "io.netplane.route.v1", RouteView.class);
    public static final Topic<PolicyView> POLICIES =
            new Topic<>("netplane.policies.v1", "io.netplane.policy.v1", PolicyView.class);
    public static final Topic<IpSetView> IP_SETS =
            new Topic<>("netplane.ipsets.v1", "io.netplane.ipset.v1", IpSetView.class);

    public static final List<Topic<?>> ALL =
            List.of(SERVICES, ENDPOINT_SLICES, PODS, NODES, ALLOCATIONS, ROUTES, POLICIES, IP_SETS);

    private Topics() {
    }

    public static Topic<?> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown topic " + name));
    }
}
