package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.api.labels.LabelSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans the EndpointSlices of one Service, as the upstream EndpointSlice reconciler does: one group of slices per
 * address type and per distinct resolved port set; unchanged slices are left alone, changed ones are updated in
 * place, new endpoints first fill slices that are being updated anyway (fullest first), then the unchanged slice
 * that will be closest to full, and only then new slices; emptied slices are deleted, and a create paired with a
 * delete becomes one update. A Service with a selector and no endpoints keeps exactly one empty placeholder slice.
 * Iteration is in a stable order (slices by name, Pods by name), so a plan is reproducible.
 */
public final class SlicePlanner {
    private SlicePlanner() {
    }

    /** Limits and identity of the controller that plans. */
    public record Settings(int maxEndpointsPerSlice, String managedBy) {
    }

    /**
     * @param pods candidate Pods; those outside the Service's namespace or not matching its selector are ignored
     * @param nodes Nodes by name
     * @param existing the slices labelled with this Service's name and our managed-by value
     */
    public static SlicePlan plan(SliceService service, Collection<PodView> pods, Map<String, NodeView> nodes,
            ZoneCapacity capacity, List<Slice> existing, Settings settings) {
        if (service.externalName()) {
            // upstream's controllers give an ExternalName Service no endpoints (kubernetes#105986); what we wrote
            // before its type changed goes, so no consumer keeps routing to its old Pods
            return new SlicePlan(List.of(), List.of(), existing, List.of(), Set.of());
        }
        if (service.selector() == null) {
            return SlicePlan.nothing();
        }
        LabelSelector selector = LabelSelector.of(service.selector());
        List<PodView> selected = pods.stream()
                .filter(p -> service.namespace().equals(p.namespace()) && selector.matches(p.labels()))
                .sorted(Comparator.comparing(PodView::name))
                .toList();
        Set<String> types = AddressTypes.forService(service);
        Plan plan = new Plan();
        Map<String, List<Slice>> byType = new LinkedHashMap<>();
        existing.stream().sorted(Comparator.comparing(Slice::name)).forEach(s -> {
            if (types.contains(s.addressType())) {
                byType.computeIfAbsent(s.addressType(), t -> new ArrayList<>()).add(s);
            } else {
                plan.deletes.add(Draft.of(s));
            }
        });
        for (String type : types) {
            planAddressType(service, selected, nodes, capacity, byType.getOrDefault(type, List.of()), type, settings,
                    plan);
        }
        return plan.toPlan();
    }

    private static final class Plan {
        final List<Draft> creates = new ArrayList<>();
        final List<Draft> updates = new ArrayList<>();
        final List<Draft> deletes = new ArrayList<>();
        final Set<SliceEvent> events = new LinkedHashSet<>();
        final Set<String> waitingForNode = new HashSet<>();

        SlicePlan toPlan() {
            return new SlicePlan(creates.stream().map(Draft::toSlice).toList(),
                    updates.stream().map(Draft::toSlice).toList(),
                    deletes.stream().map(Draft::toSlice).toList(), List.copyOf(events), waitingForNode);
        }
    }

    private static void planAddressType(SliceService service, List<PodView> pods, Map<String, NodeView> nodes,
            ZoneCapacity capacity, List<Slice> existing, String type, Settings settings, Plan plan) {
        List<Draft> creates = new ArrayList<>();
        List<Draft> updates = new ArrayList<>();
        List<Draft> deletes = new ArrayList<>();
        List<SliceEvent> events = new ArrayList<>();

        Map<List<EndpointPortView>, List<Slice>> existingByPorts = new LinkedHashMap<>();
        for (Slice s : existing) {
            if (s.ownedBy(service)) {
                existingByPorts.computeIfAbsent(EndpointPorts.key(s.ports()), k -> new ArrayList<>()).add(s);
            } else {
                deletes.add(Draft.of(s));
            }
        }

        Map<List<EndpointPortView>, LinkedHashMap<EndpointIdentity, EndpointView>> desired = new LinkedHashMap<>();
        for (PodView pod : pods) {
            if (PodEndpoints.isTerminal(pod)) {
                continue;
            }
            if (pod.podIPs().isEmpty()) {
                if ("Running".equals(pod.phase())) {
                    plan.events.add(SliceEvent.warning("PodWithoutIP", "Pod " + pod.name()
                            + " is Running but has no valid IP; it is left out of Service " + service.name(),
                            "Service", service.namespace(), service.name()));
                }
                continue;
            }
            EndpointPorts.Resolution ports = EndpointPorts.resolve(service, pod);
            if (!ports.unresolved().isEmpty()) {
                plan.events.add(SliceEvent.warning("PortNotFound", "Pod " + pod.name()
                        + " has no container port for Service port " + String.join(", ", ports.unresolved())
                        + "; its endpoint is published without that port", "Service", service.namespace(),
                        service.name()));
            }
            List<EndpointPortView> key = EndpointPorts.key(ports.ports());
            LinkedHashMap<EndpointIdentity, EndpointView> set = desired.computeIfAbsent(key, k -> new LinkedHashMap<>());
            NodeView node = pod.nodeName() == null ? null : nodes.get(pod.nodeName());
            if (node == null && !service.publishNotReadyAddresses()) {
                plan.events.add(SliceEvent.warning("NodeNotFound", "Pod " + pod.name() + " is on Node "
                        + pod.nodeName() + ", which does not exist; it is left out of Service " + service.name()
                        + " until the Node appears", "Service", service.namespace(), service.name()));
                plan.waitingForNode.add(pod.name());
                continue;
            }
            EndpointView endpoint = PodEndpoints.of(pod, node, service, type);
            if (!endpoint.addresses().isEmpty()) {
                set.put(EndpointIdentity.of(endpoint), endpoint);
            }
        }

        packAll(service, existingByPorts, desired, type, settings, creates, updates, deletes);

        if (existing.size() == deletes.size() && creates.isEmpty()) {
            Draft placeholder = Draft.fresh(service, settings.managedBy(), List.of(), type);
            if (deletes.size() == 1 && isPlaceholder(deletes.get(0), placeholder, service)) {
                deletes.clear();
            } else {
                creates.add(placeholder);
            }
        }

        applyHints(service, capacity, existing, type, creates, updates, deletes, events);
        plan.events.addAll(events);
        pairCreatesWithDeletes(service, creates, updates, deletes);
        if (!service.deleting()) {
            plan.creates.addAll(creates);
        }
        plan.updates.addAll(updates);
        plan.deletes.addAll(deletes);
    }

    /** Packs every desired port group and deletes the existing groups no longer desired. */
    static void packAll(SliceService owner, Map<List<EndpointPortView>, List<Slice>> existingByPorts,
            Map<List<EndpointPortView>, LinkedHashMap<EndpointIdentity, EndpointView>> desired, String type,
            Settings settings, List<Draft> creates, List<Draft> updates, List<Draft> deletes) {
        for (var entry : desired.entrySet()) {
            packPortGroup(owner, existingByPorts.getOrDefault(entry.getKey(), List.of()), entry.getValue(),
                    entry.getKey(), type, settings, creates, updates, deletes);
        }
        existingByPorts.forEach((ports, slices) -> {
            if (!desired.containsKey(ports)) {
                slices.forEach(s -> deletes.add(Draft.of(s)));
            }
        });
    }

    /** Upstream {@code reconcileByPortMapping} for one port set. */
    private static void packPortGroup(SliceService service, List<Slice> existing,
            LinkedHashMap<EndpointIdentity, EndpointView> desired, List<EndpointPortView> ports, String type,
            Settings settings, List<Draft> creates, List<Draft> updates, List<Draft> deletes) {
        int max = settings.maxEndpointsPerSlice();
        Map<String, Draft> toUpdate = new LinkedHashMap<>();
        Map<String, Slice> unchanged = new LinkedHashMap<>();

        // 1. Keep the endpoints still desired (in their desired form); note slices whose content or labels changed.
        for (Slice s : existing) {
            List<EndpointView> kept = new ArrayList<>();
            boolean endpointChanged = false;
            for (EndpointView e : s.endpoints()) {
                EndpointView want = desired.remove(EndpointIdentity.of(e));
                if (want != null) {
                    kept.add(want);
                    endpointChanged |= !EndpointIdentity.equalBeyondIdentity(want, e);
                }
            }
            boolean labelsChanged = SliceLabels.userLabelsChanged(s.labels(), service);
            if (endpointChanged || kept.size() != s.endpoints().size()) {
                if (kept.isEmpty()) {
                    deletes.add(Draft.of(s));
                } else {
                    Draft d = Draft.of(s);
                    d.endpoints = kept;
                    d.labels = SliceLabels.desired(service, settings.managedBy());
                    toUpdate.put(s.name(), d);
                }
            } else if (labelsChanged) {
                Draft d = Draft.of(s);
                d.labels = SliceLabels.desired(service, settings.managedBy());
                toUpdate.put(s.name(), d);
            } else {
                unchanged.put(s.name(), s);
            }
        }

        Iterator<EndpointView> remaining = desired.values().iterator();

        // 2. Fill the slices that are being updated anyway, fullest first.
        if (remaining.hasNext() && !toUpdate.isEmpty()) {
            List<Draft> fullestFirst = new ArrayList<>(toUpdate.values());
            fullestFirst.sort(Comparator.comparingInt((Draft d) -> d.endpoints.size()).reversed());
            for (Draft d : fullestFirst) {
                while (remaining.hasNext() && d.endpoints.size() < max) {
                    d.endpoints.add(remaining.next());
                    remaining.remove();
                }
            }
        }

        // 3. Fit what is left into the unchanged slice closest to full, else create slices.
        while (remaining.hasNext()) {
            Draft fill = null;
            if (desired.size() < max && !unchanged.isEmpty()) {
                Slice closest = closestToFull(unchanged.values(), desired.size(), max);
                if (closest != null) {
                    unchanged.remove(closest.name());
                    fill = Draft.of(closest);
                    toUpdate.put(closest.name(), fill);
                }
            }
            if (fill == null) {
                fill = Draft.fresh(service, settings.managedBy(), ports, type);
                creates.add(fill);
            }
            while (remaining.hasNext() && fill.endpoints.size() < max) {
                fill.endpoints.add(remaining.next());
                remaining.remove();
            }
        }
        updates.addAll(toUpdate.values());
    }

    /** Upstream {@code getSliceToFill}: the slice left with the fewest free places after adding {@code count}. */
    private static Slice closestToFull(Collection<Slice> slices, int count, int max) {
        int closestDiff = max;
        Slice closest = null;
        for (Slice s : slices) {
            int diff = max - (count + s.endpoints().size());
            if (diff >= 0 && diff < closestDiff) {
                closestDiff = diff;
                closest = s;
                if (diff == 0) {
                    return closest;
                }
            }
        }
        return closest;
    }

    private static boolean isPlaceholder(Draft existing, Draft placeholder, SliceService service) {
        return existing.addressType.equals(placeholder.addressType)
                && existing.ports.isEmpty()
                && existing.endpoints.isEmpty()
                && existing.labels.equals(placeholder.labels)
                && existing.owners.equals(List.of(service.uid()));
    }

    private static void applyHints(SliceService service, ZoneCapacity capacity, List<Slice> existing, String type,
            List<Draft> creates, List<Draft> updates, List<Draft> deletes, List<SliceEvent> events) {
        Set<String> changed = new HashSet<>();
        updates.forEach(d -> changed.add(d.name));
        deletes.forEach(d -> changed.add(d.name));
        List<Slice> unchanged = existing.stream().filter(s -> !changed.contains(s.name())).toList();
        SliceInfo si = new SliceInfo(type, creates, updates, unchanged);
        boolean useTrafficDistribution = TrafficDistributionHints.isClose(service.trafficDistribution())
                && !service.topologyAuto();
        if (service.topologyAuto()) {
            boolean hinted = existing.stream().filter(s -> s.addressType().equals(type))
                    .flatMap(s -> s.endpoints().stream()).anyMatch(e -> !e.zoneHints().isEmpty());
            TopologyHints.add(si, capacity, service, events, hinted);
        } else if (!useTrafficDistribution) {
            si.removeHints();
        }
        if (useTrafficDistribution) {
            TrafficDistributionHints.reconcile(service.trafficDistribution(), si);
        }
    }

    /** Upstream {@code finalize}: a create and a delete of an owned slice of the same address type become one update. */
    static void pairCreatesWithDeletes(SliceService service, List<Draft> creates, List<Draft> updates,
            List<Draft> deletes) {
        for (int i = 0; i < deletes.size();) {
            if (creates.isEmpty()) {
                break;
            }
            Draft gone = deletes.get(i);
            Draft created = creates.get(creates.size() - 1);
            if (gone.addressType.equals(created.addressType) && gone.owners.contains(service.uid())) {
                created.name = gone.name;
                creates.remove(creates.size() - 1);
                updates.add(created);
                deletes.remove(i);
            } else {
                i++;
            }
        }
    }
}
