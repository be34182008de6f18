package io.netplane.ipam.config;

import io.netplane.runtime.leader.LeaderElectionConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything ipam-service reads from configuration. */
@ConfigMapping(prefix = "netplane.ipam")
public interface IpamConfig {
    /** Service CIDRs, primary family first (must match kube-apiserver's {@code --service-cluster-ip-range}). */
    @WithDefault("10.96.0.0/16")
    List<String> serviceCidrs();

    /** {@code --service-node-port-range}. */
    @WithDefault("30000-32767")
    String nodePortRange();

    /** Cluster (pod) CIDRs, one per family, that Node pod CIDRs are cut from. */
    @WithDefault("10.244.0.0/16")
    List<String> clusterCidrs();

    @WithDefault("24")
    int nodeCidrMaskSizeIpv4();

    @WithDefault("64")
    int nodeCidrMaskSizeIpv6();

    /** The loadBalancerClass Netplane serves (Services with no class are served too). */
    @WithDefault("netplane.io/load-balancer")
    String loadBalancerClass();

    /** {@code kubernetes}: allocation objects in the API server; {@code memory}: in-process only. */
    @WithDefault("kubernetes")
    String store();

    /** Watch Services, Nodes and pools, and run the repair loop (needs the kubernetes store). */
    @WithDefault("true")
    boolean controllers();

    /** A record younger than this is never released as a leak (its Service may still be being created). */
    @WithDefault("30")
    int repairGraceSeconds();

    @WithDefault("60")
    int repairIntervalSeconds();

    /** Only the holder of this Lease runs the watches and the repair loop; every replica serves. */
    LeaderElectionConfig leaderElection();

    /** Publish {@code netplane.allocations.v1}. */
    @WithDefault("true")
    boolean publish();

    /** Who may write through the REST API ({@code netplane.ipam.api.*}). */
    Api api();

    interface Api {
        /**
         * {@code kubernetes}: writes need a bearer token the API server authenticates (TokenReview) for a user it
         * authorizes (SubjectAccessReview); {@code none}: anyone who reaches the port may write (local development).
         */
        @WithDefault("kubernetes")
        String auth();

        /** Audiences the token must be valid for (TokenReview {@code spec.audiences}); none: the API server's own. */
        Optional<List<String>> audiences();

        /** How long a review's answer (yes or no) is remembered. */
        @WithDefault("10s")
        Duration authCacheTtl();

        /** At most this many remembered answers of each review. */
        @WithDefault("1024")
        int authCacheSize();

        /** How long one review may take before the write is refused with 503. */
        @WithDefault("5s")
        Duration reviewTimeout();
    }
}
