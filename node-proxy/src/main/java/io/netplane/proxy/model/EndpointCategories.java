package io.netplane.proxy.model;

import java.util.List;

/**
 * The endpoints of a service port per path, as kube-proxy's {@code CategorizeEndpoints} returns them.
 *
 * @param cluster usable endpoints for the Cluster policy (topology applied); empty when no path uses it
 * @param local usable endpoints on this node for the Local policy; empty when no path uses it
 * @param allReachable the union of both: every endpoint this node may send traffic to
 * @param hasAny the Service has a usable endpoint somewhere in the cluster (even if none is reachable here)
 */
public record EndpointCategories(List<Endpoint> cluster, List<Endpoint> local, List<Endpoint> allReachable,
        boolean hasAny) {
}
