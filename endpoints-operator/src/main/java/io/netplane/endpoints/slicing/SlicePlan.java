package io.netplane.endpoints.slicing;

import java.util.List;

/**
 * What to write for one Service: slices to create, to update in place (existing name), and to delete; the Events to
 * record; and whether to reconcile again later because a cause may resolve (a Pod on a Node not seen yet).
 */
public record SlicePlan(List<Slice> creates, List<Slice> updates, List<Slice> deletes, List<SliceEvent> events,
        boolean retry) {

    public SlicePlan {
        creates = List.copyOf(creates);
        updates = List.copyOf(updates);
        deletes = List.copyOf(deletes);
        events = List.copyOf(events);
    }

    public static SlicePlan nothing() {
        return new SlicePlan(List.of(), List.of(), List.of(), List.of(), false);
    }

    /** API requests this plan costs. */
    public int apiWrites() {
        return creates.size() + updates.size() + deletes.size();
    }

    public boolean isEmpty() {
        return apiWrites() == 0;
    }
}
