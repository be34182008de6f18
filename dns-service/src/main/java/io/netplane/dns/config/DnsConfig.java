package io.netplane.dns.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The whole configuration of the DNS service ({@code netplane.dns.*}), read only here. */
@ConfigMapping(prefix = "netplane.dns")
public interface DnsConfig {

    /** UDP and TCP port; 0 binds a free port (tests), which {@code BoundPort} then reports. */
    @WithDefault("53")
    int port();

    @WithDefault("0.0.0.0")
    String bindAddress();

    /** The cluster domain. */
    @WithDefault("cluster.local")
    String zone();

    /** TTL of positive answers, seconds (CoreDNS's default is 5). */
    @WithDefault("5")
    int ttl();

    /** TTL of negative answers: the SOA minimum and the SOA record's own TTL, seconds. */
    @WithDefault("5")
    int negativeTtl();

    /**
     * Pod records {@code a-b-c-d.<ns>.pod.<zone>}: disabled, insecure or verified (CoreDNS's modes). The default is
     * what clusters run: kubeadm's CoreDNS is configured {@code pods insecure}, and upstream's DNS conformance tests
     * look up a Pod's A record.
     */
    @WithDefault("insecure")
    String pods();

    /** Addresses answered for {@code ns.dns.<zone>}, the name server named in the zone's NS record. */
    Optional<List<String>> nameserverAddresses();

    /** Upstream resolvers (host or host:port) for names outside the zone; empty means those of resolv.conf. */
    Optional<List<String>> upstreams();

    @WithDefault("/etc/resolv.conf")
    String resolvConf();

    /** Stub domains: suffix → upstreams (host or host:port), the longest matching suffix wins. */
    Map<String, List<String>> stubDomains();

    /**
     * A directory holding kube-dns's ConfigMap keys as files ({@code stubDomains}, {@code upstreamNameservers}), as a
     * ConfigMap volume of {@code kube-system/kube-dns} does: read at start and whenever it changes, laid over
     * {@link #stubDomains()} and {@link #upstreams()}. A content that does not parse is logged and changes nothing.
     */
    Optional<String> configDir();

    /** How often {@link #configDir()} is read for changes. */
    @WithDefault("2s")
    Duration configPollInterval();

    @WithDefault("2s")
    Duration forwardTimeout();

    /**
     * How long the server keeps answering after it is told to stop, with readiness already down (CoreDNS's
     * {@code lameduck}, 5 s as kubeadm configures it): the time for its endpoint to leave the Service on every node
     * before the sockets close. 0: close at once.
     */
    @WithDefault("5s")
    Duration lameDuck();

    /** Cached forwarded answers (entries); 0 disables the cache. */
    @WithDefault("10000")
    int cacheSize();

    /** Upper bound on a cached answer's lifetime, whatever the upstream TTL. */
    @WithDefault("3600")
    int cacheMaxTtl();

    /** Clients allowed to query (CIDRs); others get REFUSED. Private and loopback ranges by default. */
    @WithDefault("127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7,fe80::/10")
    List<String> allowedClients();

    /** Queries per second one client address may send (token bucket, burst twice that); 0 turns it off. */
    @WithDefault("5000")
    int clientRateLimit();

    /** Largest UDP response this server sends to an EDNS0 client (the DNS flag day 2020 value by default). */
    @WithDefault("1232")
    int maxUdpPayload();

    /** UDP sockets sharing the port (SO_REUSEPORT), each with its own thread; 0 means one per CPU. */
    @WithDefault("0")
    int udpSockets();

    @WithDefault("256")
    int tcpMaxConnections();

    @WithDefault("10s")
    Duration tcpIdleTimeout();

    /** Kafka client id of this replica's snapshot follower. */
    @WithDefault("netplane-dns-service")
    String clientId();
}
