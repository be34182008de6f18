package io.netplane.endpoints.planning;

import io.netplane.api.events.NodeView;
import io.netplane.endpoints.legacy.LegacyEndpoints;
import io.netplane.endpoints.slicing.Slice;
import io.netplane.endpoints.slicing.SlicePod;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.TriggerTimes;
import io.netplane.endpoints.slicing.ZoneCapacity;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Everything one reconcile of a Service key reads, cut down at the edge.
 *
 * @param service the Service, or null when it is gone
 * @param serviceCreated its creationTimestamp, or null
 * @param pods the Pods of its namespace (the planners pick those its selector matches)
 * @param managed the slices labelled with its name and the controller's managed-by value
 * @param mirrored the slices labelled with its name and the mirroring controller's managed-by value
 * @param endpoints the Endpoints object of the same name, or null when there is none
 * @param endpointsUid that object's uid, or null
 * @param lastSync the trigger-time state after the last sync of this Service, or null
 */
public record ServiceState(
        String namespace,
        String name,
        SliceService service,
        Instant serviceCreated,
        Collection<SlicePod> pods,
        Map<String, NodeView> nodes,
        ZoneCapacity capacity,
        List<Slice> managed,
        List<Slice> mirrored,
        LegacyEndpoints endpoints,
        String endpointsUid,
        TriggerTimes.State lastSync) {

    public ServiceState {
        pods = pods == null ? List.of() : pods;
        nodes = nodes == null ? Map.of() : nodes;
        capacity = capacity == null ? ZoneCapacity.NONE : capacity;
        managed = managed == null ? List.of() : List.copyOf(managed);
        mirrored = mirrored == null ? List.of() : List.copyOf(mirrored);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
