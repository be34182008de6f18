package io.netplane.endpoints.config;

import io.netplane.endpoints.slicing.MirrorPlanner;
import io.netplane.runtime.leader.LeaderElectionConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Configuration of the endpoints operator, under {@code netplane.endpoints}. */
@ConfigMapping(prefix = "netplane.endpoints")
public interface EndpointsConfig {
    /** The upstream controller's hard limit for {@code --max-endpoints-per-slice}. */
    int MAX_ENDPOINTS_PER_SLICE_LIMIT = 1000;
    /** Upstream's EndpointSlice controller's managed-by value. */
    String DEFAULT_MANAGED_BY = "endpointslice-controller.k8s.io";

    /** {@code manage} or {@code observe}. */
    @WithDefault("manage")
    Mode mode();

    /** Endpoints per EndpointSlice, 1 to 1000 (upstream default 100). */
    @WithDefault("100")
    int maxEndpointsPerSlice();

    /**
     * The {@code endpointslice.kubernetes.io/managed-by} value of the slices this operator writes and adopts. Netplane
     * replaces the cluster's EndpointSlice controller, so the default is upstream's value, which upstream's
     * conformance tests require.
     */
    @WithDefault(DEFAULT_MANAGED_BY)
    String managedBy();

    /** Threads reconciling Services in {@code manage} mode. */
    @WithDefault("2")
    int workers();

    /** Only one replica works at a time: the holder of a coordination.k8s.io Lease. */
    LeaderElectionConfig leaderElection();

    /** How long to wait for the Kafka snapshot before retrying, in seconds. */
    @WithDefault("30")
    int snapshotTimeoutSeconds();

    /** A Kubernetes label value. */
    Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    /** The reasons this configuration is unusable; empty when it is valid. */
    static List<String> problems(int maxEndpointsPerSlice, String managedBy) {
        List<String> out = new ArrayList<>();
        if (maxEndpointsPerSlice < 1 || maxEndpointsPerSlice > MAX_ENDPOINTS_PER_SLICE_LIMIT) {
            out.add("netplane.endpoints.max-endpoints-per-slice must be between 1 and "
                    + MAX_ENDPOINTS_PER_SLICE_LIMIT + ", got " + maxEndpointsPerSlice);
        }
        if (!LABEL_VALUE.matcher(managedBy).matches() || managedBy.isEmpty()) {
            out.add("netplane.endpoints.managed-by must be a non-empty label value (at most 63 characters), got \""
                    + managedBy + "\"");
        } else if (MirrorPlanner.MANAGED_BY.equals(managedBy)) {
            out.add("netplane.endpoints.managed-by must not be the mirroring controller's value " + managedBy);
        }
        return out;
    }
}
