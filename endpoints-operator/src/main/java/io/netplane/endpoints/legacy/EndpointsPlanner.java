package io.netplane.endpoints.legacy;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.events.PodView;
import io.netplane.api.labels.LabelSelector;
import io.netplane.endpoints.legacy.LegacyEndpoints.Address;
import io.netplane.endpoints.legacy.LegacyEndpoints.Port;
import io.netplane.endpoints.legacy.LegacyEndpoints.Subset;
import io.netplane.endpoints.slicing.AddressTypes;
import io.netplane.endpoints.slicing.EndpointPorts;
import io.netplane.endpoints.slicing.PodEndpoints;
import io.netplane.endpoints.slicing.SliceLabels;
import io.netplane.endpoints.slicing.SliceService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Endpoints object a Service with a selector should have (upstream endpoints controller): one address per Pod in
 * the Service's primary IP family, ready or not-ready by the Pod's Ready condition (all ready with
 * publishNotReadyAddresses), terminating Pods left out unless publishNotReadyAddresses, addresses grouped into
 * subsets by the port set they offer, and at most {@value LegacyEndpoints#MAX_CAPACITY} addresses with the
 * over-capacity annotation when more were cut (ready addresses kept first, spread over the subsets in proportion).
 */
public final class EndpointsPlanner {
    private EndpointsPlanner() {
    }

    /**
     * The write that makes a Service's Endpoints object what {@link #desired} says, labelled as ours: created when
     * there is none, updated when it differs (whoever wrote it, as upstream's endpoints controller), else nothing.
     *
     * @param existing the Endpoints object of the same name, or null when there is none
     */
    public static EndpointsPlan plan(SliceService service, Collection<PodView> pods, LegacyEndpoints existing) {
        LegacyEndpoints planned = desired(service, pods);
        Map<String, String> labels = new HashMap<>(planned.labels());
        labels.put(LegacyEndpoints.MANAGED_BY_LABEL, LegacyEndpoints.MANAGED_BY);
        planned = new LegacyEndpoints(labels, planned.overCapacity(), planned.subsets());
        if (existing == null) {
            return EndpointsPlan.create(planned);
        }
        return existing.equals(planned) ? EndpointsPlan.NOTHING : EndpointsPlan.update(planned);
    }

    /**
     * The Service is gone or of type ExternalName: the Endpoints object goes if this operator wrote it; one a user
     * wrote stays.
     */
    public static EndpointsPlan removal(LegacyEndpoints existing) {
        return existing != null && existing.ours() ? EndpointsPlan.DELETE : EndpointsPlan.NOTHING;
    }

    public static LegacyEndpoints desired(SliceService service, Collection<PodView> pods) {
        LabelSelector selector = LabelSelector.of(service.selector());
        String family = primaryFamily(service);
        boolean tolerateUnready = service.publishNotReadyAddresses();
        // address → (ready, ports); ports keyed for grouping
        Map<List<Port>, List<Address>> ready = new LinkedHashMap<>();
        Map<List<Port>, List<Address>> notReady = new LinkedHashMap<>();
        pods.stream().filter(p -> service.namespace().equals(p.namespace()) && selector.matches(p.labels()))
                .sorted(Comparator.comparing(PodView::name)).forEach(pod -> {
                    if (PodEndpoints.isTerminal(pod) || pod.podIPs().isEmpty()
                            || (pod.terminating() && !tolerateUnready)) {
                        return;
                    }
                    String ip = pod.podIPs().stream().filter(a -> family == null || AddressTypes.IPV4.equals(family)
                            == (a.indexOf(':') < 0)).findFirst().orElse(null);
                    if (ip == null) {
                        return;
                    }
                    Address address = new Address(ip,
                            pod.hostname() != null && !pod.hostname().isEmpty()
                                    && service.name().equals(pod.subdomain()) ? pod.hostname() : null,
                            pod.nodeName() == null || pod.nodeName().isEmpty() ? null : pod.nodeName(),
                            new ObjectRef("Pod", pod.namespace(), pod.name(), pod.uid()));
                    List<Port> ports = EndpointPorts.resolve(service, pod).ports().stream()
                            .map(EndpointsPlanner::port).sorted(PORT_ORDER).toList();
                    if (!service.ports().isEmpty() && ports.isEmpty()) {
                        return;
                    }
                    (tolerateUnready || pod.ready() ? ready : notReady)
                            .computeIfAbsent(ports, k -> new ArrayList<>()).add(address);
                });
        List<Subset> subsets = repack(ready, notReady);
        boolean truncated = truncate(subsets);
        Map<String, String> labels = new HashMap<>(service.labels());
        labels.remove(SliceLabels.HEADLESS);
        if (service.headless()) {
            labels.put(SliceLabels.HEADLESS, "");
        }
        return new LegacyEndpoints(labels, truncated, subsets);
    }

    private static final Comparator<Port> PORT_ORDER = Comparator.comparing((Port p) -> p.name() == null ? "" : p.name())
            .thenComparingInt(Port::port).thenComparing(Port::protocol);

    private static Port port(EndpointPortView p) {
        return new Port(p.name(), p.port(), p.protocol(), p.appProtocol());
    }

    /** spec.ipFamilies[0]; without families, the ClusterIP's family; headless without families: null (any). */
    static String primaryFamily(SliceService service) {
        if (!service.ipFamilies().isEmpty()) {
            return service.ipFamilies().get(0);
        }
        if (!service.headless()) {
            return service.clusterIP().indexOf(':') >= 0 ? AddressTypes.IPV6 : AddressTypes.IPV4;
        }
        return null;
    }

    /** One subset per port set, addresses sorted by IP, subsets in a stable order (upstream RepackSubsets). */
    private static List<Subset> repack(Map<List<Port>, List<Address>> ready, Map<List<Port>, List<Address>> notReady) {
        Map<String, Subset> byKey = new TreeMap<>();
        Map<List<Port>, Boolean> keys = new LinkedHashMap<>();
        ready.keySet().forEach(k -> keys.put(k, true));
        notReady.keySet().forEach(k -> keys.put(k, true));
        Comparator<Address> byIp = Comparator.comparing(Address::ip);
        for (List<Port> ports : keys.keySet()) {
            List<Address> r = new ArrayList<>(ready.getOrDefault(ports, List.of()));
            List<Address> n = new ArrayList<>(notReady.getOrDefault(ports, List.of()));
            r.sort(byIp);
            n.sort(byIp);
            byKey.put(ports.toString(), new Subset(r, n, ports));
        }
        return new ArrayList<>(byKey.values());
    }

    /** Upstream truncateEndpoints: cut to MAX_CAPACITY addresses; true when something was cut. */
    static boolean truncate(List<Subset> subsets) {
        int totalReady = subsets.stream().mapToInt(s -> s.addresses().size()).sum();
        int totalNotReady = subsets.stream().mapToInt(s -> s.notReadyAddresses().size()).sum();
        if (totalReady + totalNotReady <= LegacyEndpoints.MAX_CAPACITY) {
            return false;
        }
        boolean truncateReady = totalReady > LegacyEndpoints.MAX_CAPACITY;
        int max = truncateReady ? LegacyEndpoints.MAX_CAPACITY : LegacyEndpoints.MAX_CAPACITY - totalReady;
        int total = truncateReady ? totalReady : totalNotReady;
        int canBeAdded = max;
        for (int i = 0; i < subsets.size(); i++) {
            Subset s = subsets.get(i);
            int inSubset = truncateReady ? s.addresses().size() : s.notReadyAddresses().size();
            int toBeAdded = Math.min(canBeAdded, (int) Math.ceil((double) inSubset / total * max));
            if (truncateReady) {
                List<Address> kept = s.addresses().subList(0, Math.min(toBeAdded, s.addresses().size()));
                subsets.set(i, new Subset(kept, List.of(), s.ports()));
                canBeAdded -= kept.size();
            } else {
                List<Address> kept = s.notReadyAddresses().subList(0,
                        Math.min(toBeAdded, s.notReadyAddresses().size()));
                subsets.set(i, new Subset(s.addresses(), kept, s.ports()));
                canBeAdded -= kept.size();
            }
        }
        return true;
    }
}
