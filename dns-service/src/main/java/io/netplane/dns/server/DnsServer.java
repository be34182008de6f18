package io.netplane.dns.server;

import io.netplane.dns.config.DnsConfig;
import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.forward.ResponseCache;
import io.netplane.dns.forward.UpstreamSelector;
import io.netplane.dns.kafka.ZoneFeed;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Wires the configuration, the Kafka-fed zone and the forwarder into the listeners, and exposes the bound port. */
@ApplicationScoped
public class DnsServer {
    private static final Logger LOG = Logger.getLogger(DnsServer.class);

    private final Vertx vertx;
    private final DnsConfig config;
    private final ZoneFeed feed;
    private final DnsMetrics metrics;
    private DnsListeners listeners;
    private Forwarder forwarder;
    private ScheduledExecutorService configTimer;
    private volatile boolean draining;

    public DnsServer(Vertx vertx, DnsConfig config, ZoneFeed feed, DnsMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.feed = feed;
        this.metrics = metrics;
    }

    void start(@Observes @Priority(20) StartupEvent event) throws Exception {
        List<String> upstreams = upstreams();
        forwarder = new Forwarder(UpstreamSelector.of(config.stubDomains(), upstreams),
                new ResponseCache(config.cacheSize(), config.cacheMaxTtl()), config.forwardTimeout(), System::nanoTime);
        metrics.registry().gauge("netplane.dns.cache.entries", forwarder, Forwarder::cacheSize);
        config.configDir().ifPresent(dir -> followConfigDir(Path.of(dir), forwarder, upstreams));
        QueryHandler handler = new QueryHandler(ZoneFeed.settings(config).origin(), feed::current, forwarder,
                ClientAllowList.parse(config.allowedClients()), metrics, config.maxUdpPayload());
        listeners = new DnsListeners(vertx, handler, new ClientRateLimiter(config.clientRateLimit()), metrics,
                new DnsListeners.Options(config.bindAddress(), config.port(), udpSockets(), config.tcpMaxConnections(),
                        config.tcpIdleTimeout()));
        int port = listeners.bind();
        LOG.infof("DNS listening on %s port %d (UDP and TCP), zone %s", config.bindAddress(), port, config.zone());
    }

    /** kube-dns's ConfigMap keys in a directory: applied now, before the first query, and followed from then on. */
    private void followConfigDir(Path dir, Forwarder forwarder, List<String> upstreams) {
        ForwardingConfigDir follower = new ForwardingConfigDir(dir, forwarder, config.stubDomains(), upstreams);
        follower.poll();
        metrics.registry().gauge("netplane.dns.config.rejected", follower, ForwardingConfigDir::rejected);
        configTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-config-dir");
            t.setDaemon(true);
            return t;
        });
        long every = config.configPollInterval().toMillis();
        configTimer.scheduleWithFixedDelay(() -> {
            try {
                follower.poll();
            } catch (RuntimeException e) { // a failed poll must not end the schedule
                LOG.errorf(e, "%s: reading the forwarding configuration failed", dir);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (listeners != null && !config.lameDuck().isZero()) {
            draining = true;
            LOG.infof("stopping: still answering for %s (lame duck, readiness down)", config.lameDuck());
            try {
                Thread.sleep(config.lameDuck().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (configTimer != null) {
            configTimer.shutdownNow();
        }
        if (listeners != null) {
            listeners.close();
        }
        if (forwarder != null) {
            forwarder.close();
        }
    }

    /** The port both listeners are bound to; -1 before binding. */
    public int port() {
        return listeners == null ? -1 : listeners.port();
    }

    public boolean isListening() {
        return port() > 0;
    }

    /** Told to stop and answering only for the lame-duck time: no longer ready. */
    public boolean isDraining() {
        return draining;
    }

    private int udpSockets() {
        return config.udpSockets() > 0 ? config.udpSockets() : Runtime.getRuntime().availableProcessors();
    }

    private List<String> upstreams() {
        List<String> configured = config.upstreams().orElse(List.of());
        if (!configured.isEmpty()) {
            return configured;
        }
        try {
            return UpstreamSelector.nameservers(Files.readString(Path.of(config.resolvConf())));
        } catch (IOException e) {
            LOG.warnf("no upstreams configured and %s unreadable (%s): names outside the zone get REFUSED",
                    config.resolvConf(), e.getMessage());
            return List.of();
        }
    }
}
