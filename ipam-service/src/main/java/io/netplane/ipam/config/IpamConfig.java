package io.netplane.ipam.config;

import io.netplane.runtime.leader.LeaderElectionConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

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
}
