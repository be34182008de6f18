package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.events.PodView;
import java.util.List;

/** Builds the endpoint of one Pod for one address type (upstream {@code podToEndpoint}). */
public final class PodEndpoints {
    private PodEndpoints() {
    }

    /** Succeeded and Failed Pods never get endpoints; terminating ones do (as terminating). */
    public static boolean isTerminal(PodView pod) {
        return "Succeeded".equals(pod.phase()) || "Failed".equals(pod.phase());
    }

    /**
     * serving = the Pod is Ready; terminating = it has a deletionTimestamp; ready = serving and not terminating, or
     * always when the Service publishes not-ready addresses. Hostname only when the Pod sets one and its subdomain
     * names this Service. Zone from the Node's label.
     */
    public static EndpointView of(PodView pod, NodeView node, SliceService service, String addressType) {
        boolean serving = pod.ready();
        boolean terminating = pod.terminating();
        boolean ready = service.publishNotReadyAddresses() || (serving && !terminating);
        List<String> addresses = pod.podIPs().stream().filter(ip -> AddressTypes.matches(ip, addressType)).toList();
        String hostname = shouldSetHostname(pod, service) ? pod.hostname() : null;
        String nodeName = pod.nodeName() == null || pod.nodeName().isEmpty() ? null : pod.nodeName();
        String zone = node == null || node.zone() == null || node.zone().isEmpty() ? null : node.zone();
        return new EndpointView(addresses, ready, serving, terminating, hostname, nodeName, zone, List.of(), List.of(),
                new ObjectRef("Pod", pod.namespace(), pod.name(), pod.uid()));
    }

    static boolean shouldSetHostname(PodView pod, SliceService service) {
        return pod.hostname() != null && !pod.hostname().isEmpty()
                && service.name().equals(pod.subdomain())
                && service.namespace().equals(pod.namespace());
    }
}
