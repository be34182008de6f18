package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A slice being planned: a mutable working copy that becomes an immutable {@link Slice} in the plan. */
final class Draft {
    String name;
    final String addressType;
    final List<EndpointPortView> ports;
    List<EndpointView> endpoints;
    Map<String, String> labels;
    final List<String> owners;

    private Draft(String name, String addressType, List<EndpointPortView> ports, List<EndpointView> endpoints,
            Map<String, String> labels, List<String> owners) {
        this.name = name;
        this.addressType = addressType;
        this.ports = ports;
        this.endpoints = new ArrayList<>(endpoints);
        this.labels = labels;
        this.owners = owners;
    }

    static Draft of(Slice s) {
        return new Draft(s.name(), s.addressType(), s.ports(), s.endpoints(), s.labels(), s.ownerServiceUids());
    }

    /** A new slice for the Service (upstream {@code newEndpointSlice}): no name yet, owned by the Service. */
    static Draft fresh(SliceService service, String managedBy, List<EndpointPortView> ports, String addressType) {
        return new Draft(null, addressType, ports, List.of(), SliceLabels.desired(service, managedBy),
                List.of(service.uid()));
    }

    Slice toSlice() {
        return new Slice(name, addressType, ports, endpoints, labels, owners);
    }
}
