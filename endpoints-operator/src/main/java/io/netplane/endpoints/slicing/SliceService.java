package io.netplane.endpoints.slicing;

import io.netplane.api.events.ServiceView.ServicePortView;
import java.util.List;
import java.util.Map;

/**
 * The part of a Service the slice planner reads.
 *
 * @param clusterIP {@code spec.clusterIP} as written: empty or {@code None} for headless Services
 * @param selector the Pod selector; null when the Service has none (no slices are managed for it)
 * @param labels the Service's labels, copied onto its slices except reserved keys
 * @param topologyAuto {@code service.kubernetes.io/topology-mode: Auto} or the older
 *        {@code service.kubernetes.io/topology-aware-hints: auto}
 * @param trafficDistribution {@code spec.trafficDistribution}, or null
 * @param deleting the Service has a deletionTimestamp: no new slices are created for it
 * @param externalName {@code spec.type: ExternalName}: upstream's controllers give it no endpoints, selector or not
 */
public record SliceService(
        String namespace,
        String name,
        String uid,
        String clusterIP,
        List<String> ipFamilies,
        Map<String, String> selector,
        List<ServicePortView> ports,
        boolean publishNotReadyAddresses,
        Map<String, String> labels,
        boolean topologyAuto,
        String trafficDistribution,
        boolean deleting,
        boolean externalName) {

    public SliceService {
        ipFamilies = ipFamilies == null ? List.of() : List.copyOf(ipFamilies);
        ports = ports == null ? List.of() : List.copyOf(ports);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        selector = selector == null || selector.isEmpty() ? null : Map.copyOf(selector);
    }

    /** A Service that is not of type ExternalName. */
    public SliceService(String namespace, String name, String uid, String clusterIP, List<String> ipFamilies,
            Map<String, String> selector, List<ServicePortView> ports, boolean publishNotReadyAddresses,
            Map<String, String> labels, boolean topologyAuto, String trafficDistribution, boolean deleting) {
        this(namespace, name, uid, clusterIP, ipFamilies, selector, ports, publishNotReadyAddresses, labels,
                topologyAuto, trafficDistribution, deleting, false);
    }

    /**
     * The owner of mirrored slices: named after the selector-less Service, owned by (and labelled like) its Endpoints
     * object. It has a placeholder ClusterIP so its slices never get the headless label, as upstream mirroring.
     */
    public static SliceService mirrorOf(String namespace, String serviceName, String endpointsUid,
            Map<String, String> endpointsLabels) {
        return new SliceService(namespace, serviceName, endpointsUid, "mirrored", List.of(), null, List.of(), false,
                endpointsLabels, false, null, false);
    }

    /** No ClusterIP is set (upstream {@code isServiceIPSet} negated): the slices get the headless label. */
    public boolean headless() {
        return clusterIP == null || clusterIP.isEmpty() || "None".equals(clusterIP);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
