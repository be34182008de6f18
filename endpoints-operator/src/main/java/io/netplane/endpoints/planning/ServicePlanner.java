package io.netplane.endpoints.planning;

import io.netplane.api.events.PodView;
import io.netplane.api.labels.LabelSelector;
import io.netplane.endpoints.legacy.EndpointsPlan;
import io.netplane.endpoints.legacy.EndpointsPlanner;
import io.netplane.endpoints.legacy.LegacyEndpoints;
import io.netplane.endpoints.slicing.MirrorPlanner;
import io.netplane.endpoints.slicing.Slice;
import io.netplane.endpoints.slicing.SlicePlan;
import io.netplane.endpoints.slicing.SlicePlanner;
import io.netplane.endpoints.slicing.SlicePod;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.TriggerTimes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides one reconcile of a Service, as upstream's EndpointSlice, EndpointSlice mirroring and endpoints controllers
 * together would: a Service that is gone loses its slices (managed and mirrored) and the Endpoints object this
 * operator wrote; a Service without selector that is not ExternalName gets mirrored slices and nothing else; any
 * other Service (a selector, or ExternalName, which gets no endpoints at all) gets the controller's slices and legacy
 * Endpoints, and loses its mirrored slices.
 */
public final class ServicePlanner {
    static final SlicePlanner.Settings MIRROR_SETTINGS =
            new SlicePlanner.Settings(MirrorPlanner.DEFAULT_MAX_ENDPOINTS_PER_SLICE, MirrorPlanner.MANAGED_BY);

    private ServicePlanner() {
    }

    public static ServicePlan plan(ServiceState state, SlicePlanner.Settings settings) {
        SliceService service = state.service();
        if (service == null) {
            // the garbage collector normally removes them through the owner references; this covers where none runs
            return new ServicePlan(ServicePlan.Kind.GONE, deleting(state.managed()), deleting(state.mirrored()), null,
                    EndpointsPlanner.removal(state.endpoints()), null);
        }
        if (service.selector() == null && !service.externalName()) {
            SliceService owner = MirrorPlanner.owner(state.namespace(), state.name(), state.endpointsUid(),
                    state.endpoints());
            LegacyEndpoints source = MirrorPlanner.isMirrorable(state.endpoints()) ? state.endpoints() : null;
            return new ServicePlan(ServicePlan.Kind.MIRROR, SlicePlan.nothing(),
                    MirrorPlanner.plan(owner, source, state.mirrored(), MIRROR_SETTINGS), owner,
                    EndpointsPlan.NOTHING, null);
        }
        List<PodView> pods = state.pods().stream().map(SlicePod::view).toList();
        SlicePlan slices = SlicePlanner.plan(service, pods, state.nodes(), state.capacity(), state.managed(),
                settings);
        TriggerTimes.Result trigger = TriggerTimes.compute(state.lastSync(), state.serviceCreated(),
                readySince(service, state.pods(), slices.waitingForNode()));
        EndpointsPlan endpoints = service.externalName() ? EndpointsPlanner.removal(state.endpoints())
                : EndpointsPlanner.plan(service, pods, state.endpoints());
        return new ServicePlan(ServicePlan.Kind.MANAGE, slices, deleting(state.mirrored()), null, endpoints, trigger);
    }

    /**
     * The Ready transition times of the selected Pods. A Pod left out until its Node is seen is not in them yet: the
     * sync that publishes it carries its change's time.
     */
    static Map<String, Instant> readySince(SliceService service, Iterable<SlicePod> pods, Set<String> waiting) {
        LabelSelector selector = LabelSelector.of(service.selector() == null ? Map.of() : service.selector());
        Map<String, Instant> out = new HashMap<>();
        for (SlicePod p : pods) {
            if (p.readySince() != null && !waiting.contains(p.view().name())
                    && service.namespace().equals(p.view().namespace()) && selector.matches(p.view().labels())) {
                out.put(p.view().name(), p.readySince());
            }
        }
        return out;
    }

    private static SlicePlan deleting(List<Slice> slices) {
        return new SlicePlan(List.of(), List.of(), slices, List.of(), Set.of());
    }
}
