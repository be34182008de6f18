package io.netplane.proxy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Node proxy configuration, read once here. */
@ConfigMapping(prefix = "netplane.proxy")
public interface ProxyConfig {

    enum Mode { NFTABLES, USERSPACE }

    /** The Node this proxy runs on (the DaemonSet passes {@code spec.nodeName}). */
    String nodeName();

    /** nftables (default) or userspace, for hosts without nftables. */
    @WithDefault("nftables")
    Mode mode();

    /** IP families to program: IPv4, IPv6 or both (one table each). */
    @WithDefault("IPv4")
    List<String> ipFamilies();

    /** Pod CIDRs: ClusterIP traffic from outside them is masqueraded (kube-proxy's --cluster-cidr). */
    Optional<List<String>> clusterCidrs();

    /** Service CIDRs: traffic to unallocated addresses in them is dropped. */
    Optional<List<String>> serviceCidrs();

    /**
     * CIDRs (matched against this node's interface addresses; {@code 0.0.0.0/0} and {@code ::/0} mean every local
     * address) or {@code primary} (the Node object's primary address per family) for NodePorts; unset means
     * {@code primary}, kube-proxy's nftables-mode default.
     */
    Optional<List<String>> nodeportAddresses();

    /** Name of the nftables table this proxy owns (with {@code -0}, {@code -1} ... when it has several). */
    @WithDefault("netplane-proxy")
    String tableName();

    /**
     * Tables per IP family the Services are spread over; 0 chooses at each full sync, one per 1,000 Services
     * (rounded up to a power of two, at most 32), so that a change is checked by the kernel against one small
     * table and no nft run holds the whole ruleset.
     */
    @WithDefault("0")
    int tableShards();

    /** Masquerade every ClusterIP connection (kube-proxy's --masquerade-all). */
    @WithDefault("false")
    boolean masqueradeAll();

    /** The packet mark bit that asks for masquerading. */
    @WithDefault("14")
    int masqueradeBit();

    /** Run nft inside this network namespace ({@code ip netns exec}); unset means the proxy's own. */
    Optional<String> netns();

    /** The nft binary. */
    @WithDefault("nft")
    String nftCommand();

    /**
     * netplane-nl, the helper that applies small changes (endpoints, map elements) as netlink batches, without an
     * nft run; the image has it here. Empty, or no file there: every change goes through nft.
     */
    @WithDefault("/usr/local/bin/netplane-nl")
    String netlinkHelper();

    /** Only Services labelled {@code service.kubernetes.io/service-proxy-name} with this value (unset: unlabelled ones). */
    Optional<String> serviceProxyName();

    /** Honour EndpointSlice node hints (PreferSameNode traffic distribution), as upstream does by default. */
    @WithDefault("true")
    boolean followNodeHints();

    /**
     * At most one sync per interval: a change after a quiet interval is applied at once, the changes arriving
     * within one interval together at its end.
     */
    @WithDefault("200ms")
    Duration minSyncInterval();

    /** Wait before retrying a failed apply. */
    @WithDefault("1s")
    Duration retryInterval();

    /** /healthz turns unhealthy when a pending change is older than this. */
    @WithDefault("60s")
    Duration healthzTimeout();

    /** Address the healthCheckNodePort servers listen on. */
    @WithDefault("0.0.0.0")
    String healthCheckBindAddress();

    /** Remove the proxy's tables and exit instead of running (also {@code --cleanup} on the command line). */
    @WithDefault("false")
    boolean cleanup();

    /** Enforce NetworkPolicies (policies and ipsets topics) in nftables mode. */
    @WithDefault("true")
    boolean policyEnforcement();

    /** Userspace mode settings. */
    Userspace userspace();

    /** kube-proxy's conntrack timeouts, set once at start in nftables mode. */
    Conntrack conntrack();

    interface Conntrack {
        /** {@code nf_conntrack_tcp_timeout_close_wait} (kube-proxy's conntrack.tcpCloseWaitTimeout); 0 leaves it. */
        @WithDefault("1h")
        Duration tcpCloseWaitTimeout();

        /** {@code nf_conntrack_tcp_timeout_established} (kube-proxy's conntrack.tcpEstablishedTimeout); 0 leaves it. */
        @WithDefault("24h")
        Duration tcpEstablishedTimeout();

        /**
         * The node's {@code net.netfilter} sysctls: a container's /proc/sys is read-only, so the DaemonSet mounts
         * the node's /proc/sys/net/netfilter elsewhere (the values belong to the writer's network namespace).
         */
        @WithDefault("/proc/sys/net/netfilter")
        String sysctlDir();
    }

    interface Userspace {
        /** Listen on ClusterIPs (they must be local addresses, e.g. on a dummy interface or 127.0.0.0/8). */
        @WithDefault("true")
        boolean listenClusterIps();

        /** Listen on NodePorts on this address. */
        @WithDefault("0.0.0.0")
        String nodePortAddress();

        @WithDefault("2s")
        Duration connectTimeout();

        /** A UDP client session without traffic for this long is forgotten. */
        @WithDefault("30s")
        Duration udpIdleTimeout();
    }
}
