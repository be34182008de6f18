package io.netplane.endpoints.slicing;

import java.util.List;
import java.util.Set;

/**
 * What to write for one Service: slices to create, to update in place (existing name), and to delete; the Events to
 * record; and the Pods left out until their Node is seen, for which the Service is reconciled again later (their
 * change has not been published yet, so it still counts for the next trigger time).
 */
public record SlicePlan(List<Slice> creates, List<Slice> updates, List<Slice> deletes, List<SliceEvent> events,
        Set<String> waitingForNode) {

    public SlicePlan {
        creates = List.copyOf(creates);
        updates = List.copyOf(updates);
        deletes = List.copyOf(deletes);
        events = List.copyOf(events);
        waitingForNode = Set.copyOf(waitingForNode);
    }

    /** Whether to reconcile again later because a cause may resolve (a Pod on a Node not seen yet). */
    public boolean retry() {
        return !waitingForNode.isEmpty();
    }

    public static SlicePlan nothing() {
        return new SlicePlan(List.of(), List.of(), List.of(), List.of(), Set.of());
    }

    /** API requests this plan costs. */
    public int apiWrites() {
        return creates.size() + updates.size() + deletes.size();
    }

    public boolean isEmpty() {
        return apiWrites() == 0;
    }
}
