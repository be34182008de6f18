package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.IpAddress;
import io.netplane.endpoints.legacy.LegacyEndpoints;
import io.netplane.endpoints.legacy.LegacyEndpoints.Address;
import io.netplane.endpoints.legacy.LegacyEndpoints.Subset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EndpointSlice mirroring (upstream endpointslicemirroring controller): a Service without a selector whose user
 * wrote an Endpoints object gets slices that mirror it, one group per address family and subset port set, packed
 * like the EndpointSlice controller's (up to 1000 endpoints per slice by default), with at most
 * {@value #MAX_ENDPOINTS_PER_SUBSET} addresses mirrored per subset. Ready addresses become ready endpoints,
 * not-ready addresses not-ready ones; an address that is not an IP is left out and reported. No placeholder: no
 * addresses, no slices.
 */
public final class MirrorPlanner {
    public static final String MANAGED_BY = "endpointslicemirroring-controller.k8s.io";
    public static final String SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror";
    public static final int MAX_ENDPOINTS_PER_SUBSET = 1000;
    public static final int DEFAULT_MAX_ENDPOINTS_PER_SLICE = 1000;

    private MirrorPlanner() {
    }

    /**
     * Whether the mirroring controller mirrors this Endpoints object: not when it is labelled
     * {@value #SKIP_MIRROR_LABEL}{@code : "true"}, nor when this operator's endpoints controller wrote it (the slices
     * of a Service with a selector come from its Pods, not from its Endpoints).
     */
    public static boolean isMirrorable(LegacyEndpoints endpoints) {
        return endpoints != null && !"true".equals(endpoints.labels().get(SKIP_MIRROR_LABEL)) && !endpoints.ours();
    }

    /**
     * The owner of a selector-less Service's mirrored slices: named after the Service, owned by its Endpoints object,
     * labelled like it without {@value #SKIP_MIRROR_LABEL}.
     *
     * @param endpoints the Service's Endpoints object, or null (its uid then unknown)
     */
    public static SliceService owner(String namespace, String serviceName, String endpointsUid,
            LegacyEndpoints endpoints) {
        Map<String, String> labels = new HashMap<>(endpoints == null ? Map.of() : endpoints.labels());
        labels.remove(SKIP_MIRROR_LABEL);
        return SliceService.mirrorOf(namespace, serviceName, endpointsUid == null ? "" : endpointsUid, labels);
    }

    /**
     * @param owner from {@link SliceService#mirrorOf}
     * @param endpoints the user's Endpoints object, or null when there is none (all mirrored slices go)
     */
    public static SlicePlan plan(SliceService owner, LegacyEndpoints endpoints, List<Slice> existing,
            SlicePlanner.Settings settings) {
        Set<SliceEvent> events = new LinkedHashSet<>();
        Map<String, Map<List<EndpointPortView>, LinkedHashMap<EndpointIdentity, EndpointView>>> desired =
                new LinkedHashMap<>();
        if (endpoints != null) {
            for (Subset subset : endpoints.subsets()) {
                List<EndpointPortView> ports = EndpointPorts.key(subset.ports().stream()
                        .map(p -> new EndpointPortView(p.name(), p.protocol(), p.port(), p.appProtocol())).toList());
                int total = subset.addresses().size() + subset.notReadyAddresses().size();
                if (total > MAX_ENDPOINTS_PER_SUBSET) {
                    events.add(SliceEvent.warning("AddressesTruncated", "an Endpoints subset has " + total
                            + " addresses; only " + MAX_ENDPOINTS_PER_SUBSET + " are mirrored", "Endpoints",
                            owner.namespace(), owner.name()));
                }
                int taken = 0;
                for (boolean ready : new boolean[] {true, false}) {
                    for (Address a : ready ? subset.addresses() : subset.notReadyAddresses()) {
                        if (taken == MAX_ENDPOINTS_PER_SUBSET) {
                            break;
                        }
                        if (a.ip() == null || !IpAddress.isValid(a.ip())) {
                            events.add(SliceEvent.warning("InvalidAddress", "Endpoints address " + a.ip()
                                    + " is not an IP address; it is not mirrored", "Endpoints", owner.namespace(),
                                    owner.name()));
                            continue;
                        }
                        taken++;
                        EndpointView e = endpoint(a, ready);
                        String type = a.ip().indexOf(':') >= 0 ? AddressTypes.IPV6 : AddressTypes.IPV4;
                        desired.computeIfAbsent(type, t -> new LinkedHashMap<>())
                                .computeIfAbsent(ports, k -> new LinkedHashMap<>())
                                .put(EndpointIdentity.of(e), e);
                    }
                }
            }
        }
        List<Draft> creates = new ArrayList<>();
        List<Draft> updates = new ArrayList<>();
        List<Draft> deletes = new ArrayList<>();
        Map<String, Map<List<EndpointPortView>, List<Slice>>> existingByType = new LinkedHashMap<>();
        existing.stream().sorted(Comparator.comparing(Slice::name)).forEach(s -> {
            if (!s.ownedBy(owner) || !(AddressTypes.IPV4.equals(s.addressType())
                    || AddressTypes.IPV6.equals(s.addressType()))) {
                deletes.add(Draft.of(s));
            } else {
                existingByType.computeIfAbsent(s.addressType(), t -> new LinkedHashMap<>())
                        .computeIfAbsent(EndpointPorts.key(s.ports()), k -> new ArrayList<>()).add(s);
            }
        });
        for (String type : List.of(AddressTypes.IPV4, AddressTypes.IPV6)) {
            List<Draft> typeCreates = new ArrayList<>();
            List<Draft> typeDeletes = new ArrayList<>();
            SlicePlanner.packAll(owner, existingByType.getOrDefault(type, Map.of()),
                    desired.getOrDefault(type, new LinkedHashMap<>()), type, settings, typeCreates, updates,
                    typeDeletes);
            SlicePlanner.pairCreatesWithDeletes(owner, typeCreates, updates, typeDeletes);
            creates.addAll(typeCreates);
            deletes.addAll(typeDeletes);
        }
        return new SlicePlan(creates.stream().map(Draft::toSlice).toList(),
                updates.stream().map(Draft::toSlice).toList(), deletes.stream().map(Draft::toSlice).toList(),
                List.copyOf(events), Set.of());
    }

    private static EndpointView endpoint(Address a, boolean ready) {
        ObjectRef ref = a.targetRef();
        return new EndpointView(List.of(IpAddress.canonical(a.ip())), ready, ready, false, a.hostname(), a.nodeName(),
                null, List.of(), List.of(), ref);
    }
}
