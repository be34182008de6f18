package io.netplane.endpoints.slicing;

import io.netplane.api.events.NodeView;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each zone's share of the allocatable CPU of the ready Nodes (upstream {@code TopologyCache.SetNodes}). Control-plane
 * Nodes are ignored. One ready Node without a zone label or allocatable CPU, or fewer than two zones, and there is no
 * usable capacity at all: {@link #ratios()} is null and no Service gets hints.
 */
public record ZoneCapacity(Map<String, Double> ratios) {
    public static final ZoneCapacity NONE = new ZoneCapacity(null);

    public ZoneCapacity {
        ratios = ratios == null ? null : Map.copyOf(ratios);
    }

    public static ZoneCapacity of(Collection<NodeView> nodes) {
        Map<String, Long> cpuByZone = new TreeMap<>();
        long total = 0;
        for (NodeView node : nodes) {
            if (node.labels().containsKey("node-role.kubernetes.io/control-plane")
                    || node.labels().containsKey("node-role.kubernetes.io/master") || !node.ready()) {
                continue;
            }
            if (node.zone() == null || node.zone().isEmpty() || node.allocatableCpuMillis() <= 0) {
                return NONE;
            }
            total += node.allocatableCpuMillis();
            cpuByZone.merge(node.zone(), node.allocatableCpuMillis(), Long::sum);
        }
        if (total == 0 || cpuByZone.size() < 2) {
            return NONE;
        }
        Map<String, Double> ratios = new TreeMap<>();
        long sum = total;
        cpuByZone.forEach((zone, cpu) -> ratios.put(zone, (double) cpu / sum));
        return new ZoneCapacity(ratios);
    }
}
