package io.netplane.endpoints.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.ArrayList;
import java.util.List;

/** Configuration of the endpoints operator, under {@code netplane.endpoints}. */
@ConfigMapping(prefix = "netplane.endpoints")
public interface EndpointsConfig {
    /** The upstream controller's hard limit for {@code --max-endpoints-per-slice}. */
    int MAX_ENDPOINTS_PER_SLICE_LIMIT = 1000;

    /** {@code manage} or {@code observe}. */
    @WithDefault("manage")
    Mode mode();

    /** Endpoints per EndpointSlice, 1 to 1000 (upstream default 100). */
    @WithDefault("100")
    int maxEndpointsPerSlice();

    /** Threads reconciling Services in {@code manage} mode. */
    @WithDefault("2")
    int workers();

    /** Only one replica works at a time: the holder of a coordination.k8s.io Lease. */
    LeaderElection leaderElection();

    interface LeaderElection {
        @WithDefault("true")
        boolean enabled();

        /** Namespace of the Lease (the operator's own namespace in a Deployment). */
        @WithDefault("default")
        String namespace();

        @WithDefault("netplane-endpoints-operator")
        String leaseName();
    }

    /** How long to wait for the Kafka snapshot before retrying, in seconds. */
    @WithDefault("30")
    int snapshotTimeoutSeconds();

    /** The reasons this configuration is unusable; empty when it is valid. */
    static List<String> problems(int maxEndpointsPerSlice) {
        List<String> out = new ArrayList<>();
        if (maxEndpointsPerSlice < 1 || maxEndpointsPerSlice > MAX_ENDPOINTS_PER_SLICE_LIMIT) {
            out.add("netplane.endpoints.max-endpoints-per-slice must be between 1 and "
                    + MAX_ENDPOINTS_PER_SLICE_LIMIT + ", got " + maxEndpointsPerSlice);
        }
        return out;
    }
}
