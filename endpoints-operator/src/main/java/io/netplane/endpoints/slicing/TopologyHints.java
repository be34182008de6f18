package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.report.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Topology-aware hints for {@code topology-mode: Auto} (upstream {@code TopologyCache.AddHints}): every ready
 * endpoint is hinted to its own zone, then endpoints are moved from zones that have more than their CPU share to
 * zones that have less, so no zone's endpoints expect more than 20% overload. Safeguards, each of which removes all
 * hints and records a Warning Event: no usable Node capacity, fewer ready endpoints than zones, a minimum allocation
 * that cannot be met, an endpoint without a zone.
 */
final class TopologyHints {
    static final double OVERLOAD_THRESHOLD = 0.2;
    static final String DISABLED = "TopologyAwareHintsDisabled";
    /** Upstream's Normal Event when a Service's slices get hints they did not have. */
    static final String ENABLED = "TopologyAwareHintsEnabled";

    private record Allocation(int minimum, int maximum, double desired) {
    }

    private TopologyHints() {
    }

    /** @param hinted whether the Service's slices of this address type had hints before this plan */
    static void add(SliceInfo si, ZoneCapacity capacity, SliceService service, List<SliceEvent> events,
            boolean hinted) {
        int total = si.readyEndpoints();
        Map<String, Allocation> allocations = new TreeMap<>();
        String refusal = allocate(capacity, total, allocations);
        if (refusal != null) {
            disable(si, service, events, refusal);
            return;
        }
        Map<String, Integer> allocated = allocatedByUnchanged(si, allocations);
        List<Draft> allocatable = si.changing();
        for (Draft d : allocatable) {
            for (int i = 0; i < d.endpoints.size(); i++) {
                EndpointView e = d.endpoints.get(i);
                if (!e.ready()) {
                    d.endpoints.set(i, SliceInfo.withHints(e, List.of(), List.of()));
                    continue;
                }
                if (e.zone() == null || e.zone().isEmpty()) {
                    disable(si, service, events, "One or more endpoints do not have a zone specified");
                    return;
                }
                allocated.merge(e.zone(), 1, Integer::sum);
                d.endpoints.set(i, SliceInfo.withHints(e, List.of(e.zone()), List.of()));
            }
        }
        Map<String, Integer> giving = new TreeMap<>();
        Map<String, Integer> receiving = new TreeMap<>();
        givingAndReceiving(allocations, allocated, giving, receiving);
        redistribute(allocatable, giving, receiving).forEach((zone, diff) -> allocated.merge(zone, diff, Integer::sum));
        if (allocated.isEmpty()) {
            disable(si, service, events, "No hints allocated for zones");
        } else if (!hinted) {
            events.add(new SliceEvent(Problem.normal(ENABLED, "Topology Aware Hints has been enabled, addressType: "
                    + si.addressType), "Service", service.namespace(), service.name()));
        }
    }

    private static void disable(SliceInfo si, SliceService service, List<SliceEvent> events, String why) {
        events.add(SliceEvent.warning(DISABLED, why + ", addressType: " + si.addressType, "Service",
                service.namespace(), service.name()));
        si.removeHints();
    }

    /** Null and the allocations filled in, or the reason hints cannot be used. */
    private static String allocate(ZoneCapacity capacity, int endpoints, Map<String, Allocation> out) {
        if (capacity.ratios() == null) {
            return "Insufficient Node information: allocatable CPU or zone not specified on one or more ready Nodes,"
                    + " or ready Nodes in fewer than two zones";
        }
        int zones = capacity.ratios().size();
        if (zones > endpoints) {
            return "Insufficient number of endpoints (" + endpoints + " endpoints, " + zones + " zones)";
        }
        int remaining = endpoints;
        int minTotal = 0;
        Map<String, double[]> raw = new TreeMap<>();
        for (var entry : capacity.ratios().entrySet()) {
            double desired = entry.getValue() * endpoints;
            int minimum = (int) Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));
            raw.put(entry.getKey(), new double[] {minimum, Math.max(desired, minimum)});
            minTotal += minimum;
            remaining -= minimum;
            if (remaining < 0) {
                return "Unable to allocate minimum required endpoints to each zone without exceeding overload threshold ("
                        + endpoints + " endpoints, " + zones + " zones)";
            }
        }
        int spare = endpoints - minTotal;
        raw.forEach((zone, v) -> out.put(zone, new Allocation((int) v[0], (int) v[0] + spare, v[1])));
        return null;
    }

    /** Hints already on unchanged slices; a slice whose hints are missing or no longer valid becomes an update. */
    private static Map<String, Integer> allocatedByUnchanged(SliceInfo si, Map<String, Allocation> allocations) {
        Map<String, Integer> allocated = new HashMap<>();
        for (Slice s : List.copyOf(si.unchanged)) {
            Map<String, Integer> byZone = hintsByZone(s, allocated, allocations);
            if (byZone == null) {
                si.promote(s);
            } else {
                byZone.forEach((zone, n) -> allocated.merge(zone, n, Integer::sum));
            }
        }
        return allocated;
    }

    private static Map<String, Integer> hintsByZone(Slice s, Map<String, Integer> allocated,
            Map<String, Allocation> allocations) {
        Map<String, Integer> byZone = new HashMap<>();
        for (EndpointView e : s.endpoints()) {
            if (!e.ready()) {
                continue;
            }
            if (e.zoneHints().isEmpty()) {
                return null;
            }
            for (String zone : e.zoneHints()) {
                if (!allocations.containsKey(zone)) {
                    return null;
                }
                byZone.merge(zone, 1, Integer::sum);
            }
        }
        for (var entry : byZone.entrySet()) {
            if (entry.getValue() + allocated.getOrDefault(entry.getKey(), 0)
                    > allocations.get(entry.getKey()).maximum()) {
                return null;
            }
        }
        return byZone;
    }

    private static void givingAndReceiving(Map<String, Allocation> allocations, Map<String, Integer> allocated,
            Map<String, Integer> giving, Map<String, Integer> receiving) {
        Map<String, Double> give = new TreeMap<>();
        Map<String, Double> receive = new TreeMap<>();
        allocations.forEach((zone, a) -> {
            double have = allocated.getOrDefault(zone, 0);
            if (have > a.desired()) {
                give.put(zone, have - a.desired());
            } else if (have < a.desired()) {
                receive.put(zone, a.desired() - have);
            }
        });
        while (true) {
            var g = most(give);
            var r = most(receive);
            if (g == null || r == null || (g.getValue() < 1.0 && r.getValue() < 1.0) || g.getValue() < 0.5
                    || r.getValue() < 0.5) {
                return;
            }
            giving.merge(g.getKey(), 1, Integer::sum);
            give.merge(g.getKey(), -1.0, Double::sum);
            receiving.merge(r.getKey(), 1, Integer::sum);
            receive.merge(r.getKey(), -1.0, Double::sum);
        }
    }

    private static Map.Entry<String, Double> most(Map<String, Double> zones) {
        Map.Entry<String, Double> best = null;
        for (var e : zones.entrySet()) {
            if (e.getValue() > 0 && (best == null || e.getValue() > best.getValue())) {
                best = e;
            }
        }
        return best;
    }

    private static Map<String, Integer> redistribute(List<Draft> slices, Map<String, Integer> giving,
            Map<String, Integer> receiving) {
        Map<String, Integer> moved = new HashMap<>();
        for (Draft d : slices) {
            for (int i = 0; i < d.endpoints.size(); i++) {
                EndpointView e = d.endpoints.get(i);
                if (!e.ready() || e.zone() == null) {
                    continue;
                }
                if (giving.isEmpty() || receiving.isEmpty()) {
                    return moved;
                }
                Integer toGive = giving.get(e.zone());
                if (toGive == null || toGive <= 0) {
                    continue;
                }
                for (var r : receiving.entrySet()) {
                    if (r.getValue() <= 0) {
                        continue;
                    }
                    String to = r.getKey();
                    d.endpoints.set(i, SliceInfo.withHints(e, List.of(to), List.of()));
                    decrement(giving, e.zone());
                    decrement(receiving, to);
                    moved.merge(to, 1, Integer::sum);
                    moved.merge(e.zone(), -1, Integer::sum);
                    break;
                }
            }
        }
        return moved;
    }

    private static void decrement(Map<String, Integer> zones, String zone) {
        if (zones.get(zone) <= 1) {
            zones.remove(zone);
        } else {
            zones.merge(zone, -1, Integer::sum);
        }
    }
}
