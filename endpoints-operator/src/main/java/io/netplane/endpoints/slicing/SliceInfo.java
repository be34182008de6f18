package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointView;
import java.util.ArrayList;
import java.util.List;

/**
 * The slices of one Service and address type after packing, as the hint heuristics see them (upstream
 * {@code topologycache.SliceInfo}): a heuristic may change slices to create or update, and must move an unchanged
 * slice to the updates before changing it.
 */
final class SliceInfo {
    final String addressType;
    final List<Draft> toCreate;
    final List<Draft> toUpdate;
    final List<Slice> unchanged;

    SliceInfo(String addressType, List<Draft> toCreate, List<Draft> toUpdate, List<Slice> unchanged) {
        this.addressType = addressType;
        this.toCreate = toCreate;
        this.toUpdate = toUpdate;
        this.unchanged = new ArrayList<>(unchanged);
    }

    List<Draft> changing() {
        List<Draft> all = new ArrayList<>(toCreate);
        all.addAll(toUpdate);
        return all;
    }

    /** Moves an unchanged slice to the updates and returns its working copy. */
    Draft promote(Slice slice) {
        unchanged.remove(slice);
        Draft d = Draft.of(slice);
        toUpdate.add(d);
        return d;
    }

    int readyEndpoints() {
        int n = 0;
        for (Draft d : changing()) {
            n += (int) d.endpoints.stream().filter(EndpointView::ready).count();
        }
        for (Slice s : unchanged) {
            n += (int) s.endpoints().stream().filter(EndpointView::ready).count();
        }
        return n;
    }

    static boolean hasHints(EndpointView e) {
        return !e.zoneHints().isEmpty() || !e.nodeHints().isEmpty();
    }

    static EndpointView withHints(EndpointView e, List<String> zoneHints, List<String> nodeHints) {
        return new EndpointView(e.addresses(), e.ready(), e.serving(), e.terminating(), e.hostname(), e.nodeName(),
                e.zone(), zoneHints, nodeHints, e.targetRef());
    }

    /** Upstream {@code RemoveHintsFromSlices}: no hints anywhere; unchanged slices that had some become updates. */
    void removeHints() {
        for (Draft d : changing()) {
            d.endpoints.replaceAll(e -> hasHints(e) ? withHints(e, List.of(), List.of()) : e);
        }
        for (Slice s : List.copyOf(unchanged)) {
            if (s.endpoints().stream().anyMatch(SliceInfo::hasHints)) {
                Draft d = promote(s);
                d.endpoints.replaceAll(e -> hasHints(e) ? withHints(e, List.of(), List.of()) : e);
            }
        }
    }
}
