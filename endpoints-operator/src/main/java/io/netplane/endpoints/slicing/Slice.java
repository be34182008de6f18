package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import java.util.List;
import java.util.Map;

/**
 * An EndpointSlice as the planner sees it: an existing one (with its name) or one to create (name null, the API
 * generates it from {@code generateName: <service>-}).
 *
 * @param ownerServiceUids UIDs of the {@code v1/Service} owner references
 */
public record Slice(
        String name,
        String addressType,
        List<EndpointPortView> ports,
        List<EndpointView> endpoints,
        Map<String, String> labels,
        List<String> ownerServiceUids) {

    public Slice {
        ports = ports == null ? List.of() : List.copyOf(ports);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ownerServiceUids = ownerServiceUids == null ? List.of() : List.copyOf(ownerServiceUids);
    }

    public boolean ownedBy(SliceService service) {
        return ownerServiceUids.contains(service.uid());
    }
}
