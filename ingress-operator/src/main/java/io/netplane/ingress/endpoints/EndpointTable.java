package io.netplane.ingress.endpoints;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.ingress.routing.Backend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ready endpoints of every Service port, merged from all EndpointSlices of the Service (the
 * {@code kubernetes.io/service-name} label). Slice ports are named after the Service port ({@code ""} when
 * unnamed), so a backend is resolved by its port name; a backend whose port name is unknown resolves only when
 * the Service's slices carry a single port. FQDN slices and ports without a number are ignored; an endpoint
 * counts when its {@code ready} condition holds. Addresses are deduplicated and sorted, so every gateway
 * replica sees the same order.
 */
public final class EndpointTable {

    private static final EndpointTable EMPTY = new EndpointTable(Map.of());

    /** namespace/service -> port name -> endpoints. */
    private final Map<String, Map<String, List<Endpoint>>> byService;

    private EndpointTable(Map<String, Map<String, List<Endpoint>>> byService) {
        this.byService = byService;
    }

    public static EndpointTable empty() {
        return EMPTY;
    }

    public static EndpointTable build(Collection<EndpointSliceView> slices) {
        Map<String, Map<String, Set<Endpoint>>> merged = new HashMap<>();
        for (EndpointSliceView slice : slices) {
            if (slice.serviceName() == null || "FQDN".equals(slice.addressType())) {
                continue;
            }
            Map<String, Set<Endpoint>> ports = merged.computeIfAbsent(slice.namespace() + "/" + slice.serviceName(),
                    k -> new HashMap<>());
            for (EndpointPortView port : slice.ports()) {
                if (port.port() == null || (port.protocol() != null && !"TCP".equals(port.protocol()))) {
                    continue;
                }
                Set<Endpoint> endpoints = ports.computeIfAbsent(port.name() == null ? "" : port.name(),
                        k -> new LinkedHashSet<>());
                for (EndpointView endpoint : slice.endpoints()) {
                    if (!endpoint.ready()) {
                        continue;
                    }
                    for (String address : endpoint.addresses()) {
                        endpoints.add(new Endpoint(address, port.port()));
                    }
                }
            }
        }
        Map<String, Map<String, List<Endpoint>>> frozen = new HashMap<>();
        merged.forEach((service, ports) -> {
            Map<String, List<Endpoint>> byPort = new HashMap<>();
            ports.forEach((name, endpoints) -> {
                List<Endpoint> sorted = new ArrayList<>(endpoints);
                sorted.sort((a, b) -> a.hostPort().compareTo(b.hostPort()));
                byPort.put(name, List.copyOf(sorted));
            });
            frozen.put(service, Map.copyOf(byPort));
        });
        return new EndpointTable(Map.copyOf(frozen));
    }

    /**
     * {@link #ready} per backend, filled as requests ask: the table never changes, and the lookup is on every
     * proxied request, where building the "namespace/service" key cost an allocation and a string hash.
     */
    private final Map<Backend, List<Endpoint>> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    /** The ready endpoints of {@code backend}, in a stable order; empty when there are none. */
    public List<Endpoint> ready(Backend backend) {
        List<Endpoint> hit = resolved.get(backend);
        return hit != null ? hit : resolved.computeIfAbsent(backend, this::resolve);
    }

    private List<Endpoint> resolve(Backend backend) {
        Map<String, List<Endpoint>> ports = byService.get(backend.namespace() + "/" + backend.service());
        if (ports == null) {
            return List.of();
        }
        if (backend.portName() != null) {
            return ports.getOrDefault(backend.portName(), List.of());
        }
        return ports.size() == 1 ? ports.values().iterator().next() : List.of();
    }
}
