package io.netplane.endpoints.views;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForNode;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.ObjectRef;
import io.netplane.endpoints.slicing.SliceLabels;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Cuts a fabric8 {@link EndpointSlice} down to the {@link EndpointSliceView} of the contract. Conditions are
 * resolved as the API documents them: unset {@code ready} means ready, unset {@code serving} follows
 * {@code ready}, unset {@code terminating} means not terminating.
 */
public final class EndpointSliceInputs {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";

    private EndpointSliceInputs() {
    }

    public static EndpointSliceView from(EndpointSlice slice, Instant observedAt) {
        var meta = slice.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        return new EndpointSliceView(
                meta.getNamespace(),
                meta.getName(),
                meta.getResourceVersion(),
                observedAt,
                labels.get(SERVICE_NAME_LABEL),
                slice.getAddressType(),
                labels.get(MANAGED_BY_LABEL),
                slice.getPorts() == null ? List.of() : slice.getPorts().stream()
                        .map(p -> new EndpointPortView(p.getName(), p.getProtocol() == null ? "TCP" : p.getProtocol(),
                                p.getPort(), p.getAppProtocol()))
                        .toList(),
                slice.getEndpoints() == null ? List.of() : slice.getEndpoints().stream()
                        .map(e -> endpoint(e, slice.getAddressType())).toList(),
                labels.get(ServiceInputs.SERVICE_PROXY_NAME_LABEL),
                labels.containsKey(SliceLabels.HEADLESS));
    }

    private static EndpointView endpoint(Endpoint e, String addressType) {
        EndpointConditions c = e.getConditions() == null ? new EndpointConditions() : e.getConditions();
        boolean ready = c.getReady() == null || c.getReady();
        boolean serving = c.getServing() == null ? ready : c.getServing();
        boolean terminating = Boolean.TRUE.equals(c.getTerminating());
        ObjectReference t = e.getTargetRef();
        List<String> addresses = "FQDN".equals(addressType) ? e.getAddresses() : Addresses.canonical(e.getAddresses());
        return new EndpointView(
                addresses,
                ready,
                serving,
                terminating,
                e.getHostname(),
                e.getNodeName(),
                e.getZone(),
                e.getHints() == null || e.getHints().getForZones() == null ? List.of()
                        : e.getHints().getForZones().stream().map(ForZone::getName).toList(),
                e.getHints() == null || e.getHints().getForNodes() == null ? List.of()
                        : e.getHints().getForNodes().stream().map(ForNode::getName).toList(),
                t == null ? null : new ObjectRef(t.getKind(), t.getNamespace(), t.getName(), t.getUid()));
    }
}
