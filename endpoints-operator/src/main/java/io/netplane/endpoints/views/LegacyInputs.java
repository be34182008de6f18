package io.netplane.endpoints.views;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.netplane.api.events.ObjectRef;
import io.netplane.endpoints.legacy.LegacyEndpoints;
import io.netplane.endpoints.legacy.LegacyEndpoints.Address;
import io.netplane.endpoints.legacy.LegacyEndpoints.Port;
import io.netplane.endpoints.legacy.LegacyEndpoints.Subset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts core/v1 Endpoints to and from the legacy planner's record. */
public final class LegacyInputs {
    private LegacyInputs() {
    }

    public static LegacyEndpoints from(Endpoints e) {
        var meta = e.getMetadata();
        boolean over = meta.getAnnotations() != null
                && "truncated".equals(meta.getAnnotations().get(LegacyEndpoints.OVER_CAPACITY));
        List<Subset> subsets = e.getSubsets() == null ? List.of() : e.getSubsets().stream()
                .map(s -> new Subset(addresses(s.getAddresses()), addresses(s.getNotReadyAddresses()),
                        s.getPorts() == null ? List.of() : s.getPorts().stream()
                                .map(p -> new Port(p.getName() == null ? "" : p.getName(), p.getPort(),
                                        p.getProtocol() == null ? "TCP" : p.getProtocol(), p.getAppProtocol()))
                                .toList()))
                .toList();
        return new LegacyEndpoints(meta.getLabels(), over, subsets);
    }

    private static List<Address> addresses(List<EndpointAddress> in) {
        return in == null ? List.of() : in.stream().map(a -> new Address(a.getIp(), a.getHostname(), a.getNodeName(),
                a.getTargetRef() == null ? null : new ObjectRef(a.getTargetRef().getKind(),
                        a.getTargetRef().getNamespace(), a.getTargetRef().getName(), a.getTargetRef().getUid())))
                .toList();
    }

    /** The object to write: {@code base} (the existing one, or null to create) with the planned content. */
    public static Endpoints to(String namespace, String name, Endpoints base, LegacyEndpoints planned) {
        EndpointsBuilder b = base == null
                ? new EndpointsBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                : new EndpointsBuilder(base);
        Map<String, String> annotations = new HashMap<>(
                base == null || base.getMetadata().getAnnotations() == null ? Map.of()
                        : base.getMetadata().getAnnotations());
        if (planned.overCapacity()) {
            annotations.put(LegacyEndpoints.OVER_CAPACITY, "truncated");
        } else {
            annotations.remove(LegacyEndpoints.OVER_CAPACITY);
        }
        return b.editMetadata().withLabels(Map.copyOf(planned.labels())).withAnnotations(annotations).endMetadata()
                .withSubsets(planned.subsets().stream().map(LegacyInputs::subset).toList())
                .build();
    }

    private static EndpointSubset subset(Subset s) {
        return new EndpointSubsetBuilder()
                .withAddresses(s.addresses().stream().map(LegacyInputs::address).toList())
                .withNotReadyAddresses(s.notReadyAddresses().stream().map(LegacyInputs::address).toList())
                .withPorts(s.ports().stream().map(p -> new EndpointPortBuilder().withName(p.name()).withPort(p.port())
                        .withProtocol(p.protocol()).withAppProtocol(p.appProtocol()).build()).toList())
                .build();
    }

    private static EndpointAddress address(Address a) {
        EndpointAddressBuilder b = new EndpointAddressBuilder().withIp(a.ip()).withHostname(a.hostname())
                .withNodeName(a.nodeName());
        if (a.targetRef() != null) {
            b.withTargetRef(new ObjectReferenceBuilder().withKind(a.targetRef().kind())
                    .withNamespace(a.targetRef().namespace()).withName(a.targetRef().name())
                    .withUid(a.targetRef().uid()).build());
        }
        return b.build();
    }
}
