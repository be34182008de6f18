package io.netplane.endpoints.views;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.ForNode;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.names.KubernetesNames;
import io.netplane.endpoints.slicing.EndpointPorts;
import io.netplane.endpoints.slicing.Slice;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.TopologyMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts between fabric8 objects and the slice planner's records, at the edge, in both directions. */
public final class SliceInputs {
    public static final String LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

    private SliceInputs() {
    }

    public static SliceService service(Service service) {
        var meta = service.getMetadata();
        ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
        return new SliceService(meta.getNamespace(), meta.getName(), meta.getUid(), spec.getClusterIP(),
                spec.getIpFamilies(), spec.getSelector(), ServiceInputs.from(service, null).ports(),
                Boolean.TRUE.equals(spec.getPublishNotReadyAddresses()), meta.getLabels(),
                TopologyMode.isAuto(meta.getAnnotations()), spec.getTrafficDistribution(),
                meta.getDeletionTimestamp() != null, "ExternalName".equals(spec.getType()));
    }

    public static Slice slice(EndpointSlice slice) {
        return slice(slice, "Service");
    }

    /** The slice with the UIDs of its {@code v1/<ownerKind>} owners (Service, or Endpoints for mirrored slices). */
    public static Slice slice(EndpointSlice slice, String ownerKind) {
        var meta = slice.getMetadata();
        List<String> owners = meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences().stream()
                .filter(o -> ownerKind.equals(o.getKind()) && "v1".equals(o.getApiVersion()))
                .map(OwnerReference::getUid).toList();
        var view = EndpointSliceInputs.from(slice, null);
        return new Slice(meta.getName(), slice.getAddressType(),
                view.ports().stream().map(SliceInputs::normalized).toList(), view.endpoints(), meta.getLabels(),
                owners);
    }

    private static EndpointPortView normalized(EndpointPortView p) {
        return EndpointPorts.key(List.of(p)).get(0);
    }

    /** {@code generateName} for a Service's slices: {@code <service>-} unless that is too long (upstream). */
    public static String generateName(String serviceName) {
        String prefix = serviceName + "-";
        return KubernetesNames.isDns1123Subdomain(prefix + "x") ? prefix : serviceName;
    }

    /** A new EndpointSlice for the planned slice, owned by the Service. */
    public static EndpointSlice toNew(SliceService service, Slice planned) {
        return toNew(service, planned, "Service", service.name());
    }

    /** A new EndpointSlice owned by a {@code v1/<ownerKind>} object (for mirroring: the Endpoints, same name). */
    public static EndpointSlice toNew(SliceService service, Slice planned, String ownerKind, String ownerName) {
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind(ownerKind)
                .withName(ownerName).withUid(service.uid()).withController(true).withBlockOwnerDeletion(true)
                .build();
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(service.namespace()).withGenerateName(generateName(service.name()))
                .withLabels(planned.labels()).withOwnerReferences(owner).endMetadata()
                .withAddressType(planned.addressType())
                .withPorts(ports(planned.ports()))
                .withEndpoints(endpoints(planned.endpoints()))
                .build();
    }

    /** The existing object with the planned labels, ports and endpoints (its other metadata kept). */
    public static EndpointSlice toUpdate(EndpointSlice existing, Slice planned) {
        return new EndpointSliceBuilder(existing)
                .editMetadata().withLabels(Map.copyOf(planned.labels())).endMetadata()
                .withPorts(ports(planned.ports()))
                .withEndpoints(endpoints(planned.endpoints()))
                .build();
    }

    /**
     * The slice with {@value #LAST_CHANGE_TRIGGER_TIME} set to the trigger time (RFC 3339, UTC), or removed when
     * there is none, as upstream does on every slice it creates or updates.
     */
    public static EndpointSlice withTriggerTime(EndpointSlice slice, Instant triggerTime) {
        Map<String, String> annotations = slice.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(slice.getMetadata().getAnnotations());
        if (triggerTime == null) {
            annotations.remove(LAST_CHANGE_TRIGGER_TIME);
        } else {
            annotations.put(LAST_CHANGE_TRIGGER_TIME, triggerTime.toString());
        }
        return new EndpointSliceBuilder(slice).editMetadata().withAnnotations(annotations.isEmpty() ? null
                : annotations).endMetadata().build();
    }

    private static List<EndpointPort> ports(List<EndpointPortView> ports) {
        List<EndpointPort> out = new ArrayList<>();
        for (EndpointPortView p : ports) {
            out.add(new EndpointPortBuilder().withName(p.name()).withProtocol(p.protocol()).withPort(p.port())
                    .withAppProtocol(p.appProtocol()).build());
        }
        return out;
    }

    private static List<Endpoint> endpoints(List<EndpointView> endpoints) {
        List<Endpoint> out = new ArrayList<>();
        for (EndpointView e : endpoints) {
            EndpointBuilder b = new EndpointBuilder()
                    .withAddresses(e.addresses())
                    .withNewConditions().withReady(e.ready()).withServing(e.serving())
                    .withTerminating(e.terminating()).endConditions()
                    .withHostname(e.hostname())
                    .withNodeName(e.nodeName())
                    .withZone(e.zone());
            if (!e.zoneHints().isEmpty() || !e.nodeHints().isEmpty()) {
                EndpointHints hints = new EndpointHints(
                        e.nodeHints().isEmpty() ? null : e.nodeHints().stream().map(ForNode::new).toList(),
                        e.zoneHints().isEmpty() ? null : e.zoneHints().stream().map(ForZone::new).toList());
                b.withHints(hints);
            }
            if (e.targetRef() != null) {
                b.withTargetRef(new ObjectReferenceBuilder().withKind(e.targetRef().kind())
                        .withNamespace(e.targetRef().namespace()).withName(e.targetRef().name())
                        .withUid(e.targetRef().uid()).build());
            }
            out.add(b.build());
        }
        return out;
    }
}
