package io.netplane.policy.config;

import io.netplane.runtime.leader.LeaderElectionConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of the policy operator ({@code netplane.policy.*}). */
@ConfigMapping(prefix = "netplane.policy")
public interface PolicyOperatorConfig {
    /** Watch the Kubernetes API (off only for tests of the explain API over a fixed state). */
    @WithDefault("true")
    boolean watch();

    /** How long changes are gathered before one compile flush is published. */
    @WithDefault("PT0.02S")
    Duration batchDelay();

    /** How long to wait for the existing policies/ipsets topics to be read at start (stale-key cleanup). */
    @WithDefault("PT60S")
    Duration snapshotTimeout();

    /** Only the holder of this Lease publishes and raises Events; a standby compiles the same state. */
    LeaderElectionConfig leaderElection();

    /**
     * Most members per record on the ipsets topic: a larger set is published as a header and shards (see
     * {@code ShardPlanner}). At least 16.
     */
    @WithDefault("2000")
    int ipsetShardMembers();

    /** Most bytes of JSON per record on the ipsets topic; keep it under the broker's max message size. */
    @WithDefault("524288")
    int ipsetRecordBytes();

    /** Reason of the Warning Event raised on a NetworkPolicy that fails validation. */
    @WithDefault("InvalidNetworkPolicy")
    String invalidReason();
}
