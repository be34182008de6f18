package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointView;
import java.util.List;
import java.util.Set;

/**
 * Hints from {@code spec.trafficDistribution} (upstream {@code trafficdist}): {@code PreferClose} and
 * {@code PreferSameZone} hint every ready endpoint to its own zone, {@code PreferSameNode} also to its own node.
 * Not-ready endpoints are left as they are.
 */
public final class TrafficDistributionHints {
    public static final Set<String> CLOSE = Set.of("PreferClose", "PreferSameZone", "PreferSameNode");

    private TrafficDistributionHints() {
    }

    public static boolean isClose(String trafficDistribution) {
        return trafficDistribution != null && CLOSE.contains(trafficDistribution);
    }

    static void reconcile(String trafficDistribution, SliceInfo si) {
        boolean nodeHints = "PreferSameNode".equals(trafficDistribution);
        for (Slice s : List.copyOf(si.unchanged)) {
            if (s.endpoints().stream().anyMatch(e -> e.ready() && !hinted(e, nodeHints).equals(e))) {
                si.promote(s);
            }
        }
        for (Draft d : si.changing()) {
            d.endpoints.replaceAll(e -> e.ready() ? hinted(e, nodeHints) : e);
        }
    }

    private static EndpointView hinted(EndpointView e, boolean nodeHints) {
        List<String> zones = e.zone() == null ? List.of() : List.of(e.zone());
        List<String> nodes = nodeHints && e.nodeName() != null ? List.of(e.nodeName()) : List.of();
        return SliceInfo.withHints(e, zones, nodes);
    }
}
