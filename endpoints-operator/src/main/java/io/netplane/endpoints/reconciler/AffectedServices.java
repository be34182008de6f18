package io.netplane.endpoints.reconciler;

import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.api.labels.LabelSelector;
import io.netplane.endpoints.slicing.SliceLabels;
import io.netplane.endpoints.slicing.SlicePod;
import io.netplane.endpoints.slicing.SliceService;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Services an event on another kind affects: the slice controller's mapping from Pod, Node and EndpointSlice
 * events to the Service keys to reconcile (upstream's EndpointSlice controller's event handlers). Keeps each
 * Service's selector, cut down once per Service event, by namespace.
 */
final class AffectedServices {
    /** What the mapping needs of a Service. {@code selector} is null for a Service without one. */
    private record Selecting(String key, LabelSelector selector, boolean topologyAuto) {
    }

    private final Map<String, Map<String, Selecting>> byNamespace = new ConcurrentHashMap<>();
    private final PodIndex pods;

    AffectedServices(PodIndex pods) {
        this.pods = pods;
    }

    void put(SliceService service) {
        byNamespace.computeIfAbsent(service.namespace(), n -> new ConcurrentHashMap<>()).put(service.name(),
                new Selecting(service.key(), service.selector() == null ? null : LabelSelector.of(service.selector()),
                        service.topologyAuto()));
    }

    void remove(String namespace, String name) {
        byNamespace.computeIfPresent(namespace, (ns, services) -> {
            services.remove(name);
            return services.isEmpty() ? null : services;
        });
    }

    /** The Services of the namespace whose selector matches any of the label sets (a Pod's before and after). */
    Set<String> selecting(String namespace, Collection<Map<String, String>> labelSets) {
        Set<String> out = new TreeSet<>();
        for (Selecting s : byNamespace.getOrDefault(namespace, Map.of()).values()) {
            if (s.selector() != null && !s.selector().isEmpty()
                    && labelSets.stream().anyMatch(l -> s.selector().matches(l == null ? Map.of() : l))) {
                out.add(s.key());
            }
        }
        return out;
    }

    /** The Services selecting a Pod on the Node: its endpoints' zone (or their Node's existence) changed. */
    Set<String> withPodsOn(String nodeName) {
        Map<String, Set<Map<String, String>>> labelsByNamespace = new HashMap<>();
        for (SlicePod p : pods.onNode(nodeName)) {
            labelsByNamespace.computeIfAbsent(p.view().namespace(), n -> new HashSet<>()).add(p.view().labels());
        }
        Set<String> out = new TreeSet<>();
        labelsByNamespace.forEach((ns, sets) -> out.addAll(selecting(ns, sets)));
        return out;
    }

    /** The Services with topology-aware hints, whose hints a change of the zones' capacity changes. */
    Set<String> usingTopologyHints() {
        Set<String> out = new TreeSet<>();
        byNamespace.values().forEach(services -> services.values().stream().filter(Selecting::topologyAuto)
                .forEach(s -> out.add(s.key())));
        return out;
    }

    /**
     * The Service a slice belongs to when one of the given controllers (by managed-by value) wrote it: a slice of
     * another writer, or without {@code kubernetes.io/service-name}, concerns none.
     */
    static Optional<String> ofSlice(String namespace, Map<String, String> labels, List<String> managedBy) {
        if (labels == null || labels.get(SliceLabels.SERVICE_NAME) == null
                || managedBy.stream().noneMatch(m -> SliceLabels.isManagedBy(labels, m))) {
            return Optional.empty();
        }
        return Optional.of(namespace + "/" + labels.get(SliceLabels.SERVICE_NAME));
    }

    /**
     * Whether a Pod update can change its endpoints or which Services select it (upstream
     * {@code podEndpointsChanged}, plus labels).
     */
    static boolean changesEndpoints(PodView before, PodView after) {
        return before.ready() != after.ready() || before.terminating() != after.terminating()
                || !before.podIPs().equals(after.podIPs()) || !Objects.equals(before.phase(), after.phase())
                || !before.labels().equals(after.labels()) || !Objects.equals(before.hostname(), after.hostname())
                || !Objects.equals(before.subdomain(), after.subdomain())
                || !Objects.equals(before.nodeName(), after.nodeName())
                || !before.containerPorts().equals(after.containerPorts());
    }

    /** A Node change that moves its Pods' endpoints: a Node seen for the first time, or in another zone. */
    static boolean movesEndpoints(NodeView before, NodeView after) {
        return before == null || !Objects.equals(before.zone(), after.zone());
    }

    /** A Node change that can change the zones' capacity for topology hints. */
    static boolean changesCapacity(NodeView before, NodeView after) {
        return movesEndpoints(before, after) || before.ready() != after.ready()
                || before.allocatableCpuMillis() != after.allocatableCpuMillis()
                || !before.labels().equals(after.labels());
    }
}
