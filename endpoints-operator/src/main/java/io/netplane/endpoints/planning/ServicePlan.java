package io.netplane.endpoints.planning;

import io.netplane.endpoints.legacy.EndpointsPlan;
import io.netplane.endpoints.slicing.SliceEvent;
import io.netplane.endpoints.slicing.SlicePlan;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.TriggerTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one reconcile of a Service writes.
 *
 * @param slices the controller's own slices (created owned by the Service)
 * @param mirrored the mirrored slices (created owned by the Endpoints object, see {@code mirrorOwner})
 * @param mirrorOwner the owner of mirrored slices to create; null unless {@link Kind#MIRROR}
 * @param endpoints the legacy Endpoints object
 * @param trigger the trigger time of the slices written and the state to keep once they are; null unless
 *        {@link Kind#MANAGE}
 */
public record ServicePlan(Kind kind, SlicePlan slices, SlicePlan mirrored, SliceService mirrorOwner,
        EndpointsPlan endpoints, TriggerTimes.Result trigger) {

    /** Which rule decided the Service. */
    public enum Kind {
        /** The Service is gone: what was written for it goes (where no garbage collector runs). */
        GONE,
        /** No selector, not ExternalName: the mirroring controller's slices from the user's Endpoints object. */
        MIRROR,
        /** A selector, or ExternalName: the controller's slices and the legacy Endpoints; nothing mirrored. */
        MANAGE
    }

    public ServicePlan {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(slices, "slices");
        Objects.requireNonNull(mirrored, "mirrored");
        Objects.requireNonNull(endpoints, "endpoints");
    }

    /** The Events both slice plans ask for. */
    public List<SliceEvent> events() {
        List<SliceEvent> out = new ArrayList<>(slices.events());
        out.addAll(mirrored.events());
        return out;
    }

    /** Whether to reconcile again later because a cause may resolve (a Pod on a Node not seen yet). */
    public boolean retry() {
        return slices.retry();
    }

    /** API requests this plan costs. */
    public int apiWrites() {
        return slices.apiWrites() + mirrored.apiWrites() + endpoints.apiWrites();
    }
}
