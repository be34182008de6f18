package io.netplane.proxy.state;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.ServiceView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The latest Service, EndpointSlice and Node values by key, and which Services an event affects. Not
 * thread-safe: the sync loop guards it. Full-state events make it idempotent: a repeated value changes nothing.
 *
 * <p>Services and slices are kept cut down to what {@code ServicePlanner} reads of them, the endpoints of a slice
 * packed into arrays ({@link KeptSlice}): a node holds every Service and endpoint of the cluster, so each field
 * kept costs memory on every node. Ask before the planner reads another one.
 */
public final class ClusterState {
    private final String nodeName;
    private final Map<String, ServiceView> services = new HashMap<>();
    private final Map<String, KeptSlice> slices = new HashMap<>();
    /** Slice keys per Service key; most Services have one slice, so a small list rather than a set each. */
    private final Map<String, List<String>> slicesByService = new HashMap<>();
    private NodeView node;

    public ClusterState(String nodeName) {
        this.nodeName = nodeName;
    }

    /** Records a Service; returns the affected Service key. {@code value} null removes it. */
    public String putService(String key, ServiceView value) {
        if (value == null) {
            services.remove(key);
        } else {
            services.put(key, cut(value));
        }
        return key;
    }

    /** Records an EndpointSlice; returns the Services whose endpoints may have changed (old and new owner). */
    public Set<String> putSlice(String key, EndpointSliceView value) {
        KeptSlice old = value == null ? slices.remove(key) : slices.put(key, KeptSlice.of(value));
        String before = old == null ? null : serviceKey(old.head());
        String after = value == null ? null : serviceKey(value);
        Set<String> affected = new HashSet<>();
        if (before != null) {
            affected.add(before);
        }
        if (after != null) {
            affected.add(after);
        }
        if (!Objects.equals(before, after)) {
            if (before != null) {
                unlink(before, key);
            }
            if (after != null) {
                link(after, key);
            }
        }
        return affected;
    }

    /** A slice of a Service: after the others it already has (an updated slice keeps its place). */
    private void link(String serviceKey, String sliceKey) {
        List<String> keys = new ArrayList<>(slicesByService.getOrDefault(serviceKey, List.of()));
        keys.add(sliceKey);
        slicesByService.put(serviceKey, List.copyOf(keys));
    }

    private void unlink(String serviceKey, String sliceKey) {
        List<String> rest = slicesByService.getOrDefault(serviceKey, List.of()).stream()
                .filter(k -> !k.equals(sliceKey)).toList();
        if (rest.isEmpty()) {
            slicesByService.remove(serviceKey);
        } else {
            slicesByService.put(serviceKey, rest);
        }
    }

    /** Records a Node; true when it is this proxy's node (other nodes do not matter to it). */
    public boolean putNode(String key, NodeView value) {
        if (!nodeName.equals(key)) {
            return false;
        }
        node = value;
        return true;
    }

    public ServiceView service(String key) {
        return services.get(key);
    }

    public Collection<String> serviceKeys() {
        return List.copyOf(services.keySet());
    }

    /** The slices of a Service as the planner reads them (rebuilt from what is kept). */
    public List<EndpointSliceView> slicesFor(String serviceKey) {
        return slicesByService.getOrDefault(serviceKey, List.of()).stream().map(k -> slices.get(k).view()).toList();
    }

    /** This node, or null before its event arrived. */
    public NodeView node() {
        return node;
    }

    public int serviceCount() {
        return services.size();
    }

    /**
     * The Service without what the planner does not read: uid, resourceVersion, observedAt, IP family fields,
     * selector, externalName, publishNotReadyAddresses, trafficDistribution, and of each port targetPort and
     * appProtocol.
     */
    static ServiceView cut(ServiceView s) {
        List<ServiceView.ServicePortView> ports = s.ports().stream().map(p -> new ServiceView.ServicePortView(
                p.name(), p.protocol(), p.port(), null, p.nodePort(), null)).toList();
        return new ServiceView(s.namespace(), s.name(), null, null, null, s.type(), s.clusterIPs(), s.headless(),
                null, null, null, ports, null, s.externalIPs(), s.loadBalancerIngressIPs(),
                s.loadBalancerSourceRanges(), s.sessionAffinity(), s.sessionAffinityTimeoutSeconds(),
                s.externalTrafficPolicy(), s.internalTrafficPolicy(), s.healthCheckNodePort(), false, null,
                s.serviceProxyName());
    }

    /**
     * A slice as kept: the view without its endpoints, resourceVersion, observedAt and managedBy, and of each
     * endpoint its first address, conditions, node name (interned: a few distinct ones, on every endpoint) and
     * hints in arrays; about 10 bytes an endpoint besides its address, where its view takes 70. Hostname, zone
     * and targetRef are not kept.
     *
     * @param zoneHints null when no endpoint has any; likewise {@code nodeHints}
     */
    record KeptSlice(EndpointSliceView head, String[] addresses, byte[] conditions, String[] nodeNames,
            List<List<String>> zoneHints, List<List<String>> nodeHints) {
        private static final int READY = 1;
        private static final int SERVING = 2;
        private static final int TERMINATING = 4;

        static KeptSlice of(EndpointSliceView s) {
            List<EndpointView> eps = s.endpoints();
            int n = eps.size();
            String[] addresses = new String[n];
            byte[] conditions = new byte[n];
            String[] nodeNames = new String[n];
            for (int i = 0; i < n; i++) {
                EndpointView e = eps.get(i);
                addresses[i] = e.addresses().isEmpty() ? null : e.addresses().get(0);
                conditions[i] = (byte) ((e.ready() ? READY : 0) | (e.serving() ? SERVING : 0)
                        | (e.terminating() ? TERMINATING : 0));
                nodeNames[i] = e.nodeName() == null ? null : e.nodeName().intern();
            }
            EndpointSliceView head = new EndpointSliceView(s.namespace(), s.name(), null, null, s.serviceName(),
                    s.addressType(), null, s.ports(), List.of(), s.serviceProxyName(), s.headless());
            return new KeptSlice(head, addresses, conditions, nodeNames, hints(eps, EndpointView::zoneHints),
                    hints(eps, EndpointView::nodeHints));
        }

        private static List<List<String>> hints(List<EndpointView> eps, Function<EndpointView, List<String>> f) {
            return eps.stream().allMatch(e -> f.apply(e).isEmpty()) ? null : eps.stream().map(f).toList();
        }

        EndpointSliceView view() {
            List<EndpointView> eps = new ArrayList<>(addresses.length);
            for (int i = 0; i < addresses.length; i++) {
                eps.add(new EndpointView(addresses[i] == null ? List.of() : List.of(addresses[i]),
                        (conditions[i] & READY) != 0, (conditions[i] & SERVING) != 0,
                        (conditions[i] & TERMINATING) != 0, null, nodeNames[i], null,
                        zoneHints == null ? List.of() : zoneHints.get(i),
                        nodeHints == null ? List.of() : nodeHints.get(i), null));
            }
            EndpointSliceView h = head;
            return new EndpointSliceView(h.namespace(), h.name(), null, null, h.serviceName(), h.addressType(), null,
                    h.ports(), eps, h.serviceProxyName(), h.headless());
        }
    }

    private static String serviceKey(EndpointSliceView s) {
        return ContractEvent.key(s.namespace(), s.serviceName());
    }
}
