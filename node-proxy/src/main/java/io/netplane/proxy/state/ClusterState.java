package io.netplane.proxy.state;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.ServiceView;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest Service, EndpointSlice and Node values by key, and which Services an event affects. Not
 * thread-safe: the sync loop guards it. Full-state events make it idempotent: a repeated value changes nothing.
 */
public final class ClusterState {
    private final String nodeName;
    private final Map<String, ServiceView> services = new HashMap<>();
    private final Map<String, EndpointSliceView> slices = new HashMap<>();
    private final Map<String, Set<String>> slicesByService = new HashMap<>();
    private NodeView node;

    public ClusterState(String nodeName) {
        this.nodeName = nodeName;
    }

    /** Records a Service; returns the affected Service key. {@code value} null removes it. */
    public String putService(String key, ServiceView value) {
        if (value == null) {
            services.remove(key);
        } else {
            services.put(key, value);
        }
        return key;
    }

    /** Records an EndpointSlice; returns the Services whose endpoints may have changed (old and new owner). */
    public Set<String> putSlice(String key, EndpointSliceView value) {
        Set<String> affected = new HashSet<>();
        EndpointSliceView old = value == null ? slices.remove(key) : slices.put(key, value);
        if (old != null) {
            String s = serviceKey(old);
            affected.add(s);
            Set<String> keys = slicesByService.get(s);
            if (keys != null) {
                keys.remove(key);
                if (keys.isEmpty()) {
                    slicesByService.remove(s);
                }
            }
        }
        if (value != null) {
            String s = serviceKey(value);
            affected.add(s);
            slicesByService.computeIfAbsent(s, k -> new HashSet<>()).add(key);
        }
        return affected;
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

    public List<EndpointSliceView> slicesFor(String serviceKey) {
        Set<String> keys = slicesByService.getOrDefault(serviceKey, Set.of());
        return keys.stream().map(slices::get).toList();
    }

    /** This node, or null before its event arrived. */
    public NodeView node() {
        return node;
    }

    public int serviceCount() {
        return services.size();
    }

    private static String serviceKey(EndpointSliceView s) {
        return ContractEvent.key(s.namespace(), s.serviceName());
    }
}
