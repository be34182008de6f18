package io.netplane.dns.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.dns.config.DnsConfig;
import io.netplane.dns.records.PodMode;
import io.netplane.dns.records.ZoneIndex;
import io.netplane.dns.records.ZoneRecords;
import io.netplane.dns.records.ZoneSettings;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Follows the services, endpointslices and pods topics (snapshot, then changes) into a {@link ZoneIndex}, which
 * replans only the objects a change touches, and publishes its snapshot as soon as a change arrives (at most one
 * rebuild per twice the time the last one took). The zone
 * is published only once the snapshot is caught up. If Kafka becomes unreachable the last zone keeps being served;
 * the {@code netplane.dns.kafka.reachable} gauge says so.
 */
@ApplicationScoped
public class ZoneFeed implements EventHandler {
    private static final Logger LOG = Logger.getLogger(ZoneFeed.class);
    /** A safety net only: every change schedules its rebuild at once ({@link #onEvent}). */
    private static final long REBUILD_CHECK_MS = 1000;

    private final DnsConfig config;
    private final String bootstrapServers;
    private final MeterRegistry registry;
    /** Changed by the follower's thread, snapshotted by the scheduler's: guarded by itself. */
    private ZoneIndex index;
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** observedAt of the oldest change not yet in the served zone (epoch millis; Long.MAX_VALUE when none). */
    private final java.util.concurrent.atomic.AtomicLong oldestPending = new java.util.concurrent.atomic.AtomicLong(
            Long.MAX_VALUE);
    private volatile long nextRebuildNanos;
    private Timer rebuildTimer;
    private Timer programmingLatency;
    private final AtomicReference<ZoneRecords> zone = new AtomicReference<>();
    private final AtomicBoolean reachable = new AtomicBoolean();
    private volatile boolean caughtUp;
    private volatile Set<String> lastRejected = Set.of();
    private ZoneSettings settings;
    private SnapshotFollower follower;
    private ScheduledExecutorService scheduler;
    private Admin admin;
    private long serial;

    public ZoneFeed(DnsConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            MeterRegistry registry) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        settings = settings(config);
        index = new ZoneIndex(settings);
        serial = System.currentTimeMillis() / 1000;
        // two threads: a Kafka probe waiting for its answer must not hold a rebuild back
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "dns-zone-feed");
            t.setDaemon(true);
            return t;
        });
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, config.clientId() + "-probe",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000));
        Gauge.builder("netplane.dns.kafka.reachable", reachable, b -> b.get() ? 1 : 0)
                .description("1 while the Kafka cluster answers; the zone keeps being served when it does not")
                .register(registry);
        Gauge.builder("netplane.dns.zone.records", zone, z -> z.get() == null ? 0 : z.get().recordCount())
                .register(registry);
        Gauge.builder("netplane.dns.snapshot.caught_up", this, f -> f.caughtUp ? 1 : 0).register(registry);
        rebuildTimer = Timer.builder("netplane.dns.zone.rebuild")
                .description("Time to replan the changed objects and snapshot the zone").register(registry);
        programmingLatency = Timer.builder("netplane.dns.programming.latency")
                .description("From the operator observing a change to this server answering with it")
                .publishPercentileHistogram().register(registry);
        follower = new SnapshotFollower(bootstrapServers, config.clientId(),
                List.of(Topics.SERVICES, Topics.ENDPOINT_SLICES, Topics.PODS), this).start();
        Gauge.builder("netplane.dns.kafka.malformed", follower, SnapshotFollower::malformedCount).register(registry);
        scheduler.scheduleWithFixedDelay(this::rebuildIfDirty, REBUILD_CHECK_MS, REBUILD_CHECK_MS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::probeKafka, 0, 5, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (follower != null) {
            follower.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    /** The zone to answer from; null until the snapshot is caught up. */
    public ZoneRecords current() {
        return zone.get();
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    public boolean isKafkaReachable() {
        return reachable.get();
    }

    @Override
    public void onEvent(Topic<?> topic, String key, ContractEvent value) {
        synchronized (index) {
            if (topic.equals(Topics.SERVICES)) {
                if (value == null) {
                    index.removeService(key);
                } else {
                    index.putService((ServiceView) value);
                }
            } else if (topic.equals(Topics.ENDPOINT_SLICES)) {
                if (value == null) {
                    index.removeSlice(key);
                } else {
                    index.putSlice(key, (EndpointSliceView) value);
                }
            } else if (topic.equals(Topics.PODS)) {
                if (value == null) {
                    index.removePod(key);
                } else {
                    index.putPod(key, (PodView) value);
                }
            }
        }
        if (value != null && value.observedAt() != null) {
            long observed = value.observedAt().toEpochMilli();
            oldestPending.accumulateAndGet(observed, Math::min);
        }
        if (!dirty.getAndSet(true) && caughtUp) {
            // the first change since the last rebuild: rebuild now, or once the last rebuild's pause has passed
            long wait = Math.max(0, nextRebuildNanos - System.nanoTime());
            scheduler.schedule(this::rebuildIfDirty, wait, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onCaughtUp() {
        rebuild();
        caughtUp = true;
        synchronized (index) {
            LOG.infof("snapshot caught up: %d services, %d endpointslices, %d pods", index.serviceCount(),
                    index.sliceCount(), index.podCount());
        }
    }

    /** Never rebuilds sooner than twice the last rebuild took after it, so a large zone under constant churn costs
     * at most about a third of a core. */
    private void rebuildIfDirty() {
        if (!caughtUp || !dirty.get()) {
            return;
        }
        long wait = nextRebuildNanos - System.nanoTime();
        if (wait > 0) {
            scheduler.schedule(this::rebuildIfDirty, wait, TimeUnit.NANOSECONDS);
            return;
        }
        rebuild();
    }

    private synchronized void rebuild() {
        dirty.set(false);
        long pending = oldestPending.getAndSet(Long.MAX_VALUE);
        long start = System.nanoTime();
        try {
            ZoneRecords next;
            synchronized (index) {
                next = index.snapshot(++serial);
            }
            logNewRejections(next.rejected());
            zone.set(next);
            long took = System.nanoTime() - start;
            rebuildTimer.record(took, TimeUnit.NANOSECONDS);
            nextRebuildNanos = System.nanoTime() + 2 * took;
            if (caughtUp && pending != Long.MAX_VALUE) {
                programmingLatency.record(Math.max(0, System.currentTimeMillis() - pending), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.error("zone rebuild failed; still serving the previous zone", e);
        }
    }

    private void logNewRejections(List<String> rejected) {
        Set<String> now = new HashSet<>(rejected);
        for (String r : rejected) {
            if (!lastRejected.contains(r)) {
                LOG.warnf("no DNS records for %s", r);
            }
        }
        lastRejected = now;
    }

    private void probeKafka() {
        try {
            admin.describeCluster().clusterId().get(4, TimeUnit.SECONDS);
            if (!reachable.getAndSet(true)) {
                LOG.info("Kafka reachable");
            }
        } catch (Exception e) {
            if (reachable.getAndSet(false)) {
                LOG.warnf("Kafka unreachable (%s); serving the last zone", e.toString());
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static ZoneSettings settings(DnsConfig config) {
        try {
            String zone = config.zone().endsWith(".") ? config.zone() : config.zone() + ".";
            List<InetAddress> ns = config.nameserverAddresses().orElse(List.of()).stream().map(ZoneFeed::inet).toList();
            return new ZoneSettings(Name.fromString(zone), config.ttl(), config.negativeTtl(),
                    PodMode.parse(config.pods()), ns, 1);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("netplane.dns.zone is not a domain name: " + config.zone(), e);
        }
    }

    private static InetAddress inet(String text) {
        try {
            return InetAddress.getByAddress(io.netplane.api.net.IpAddress.parse(text.trim()).toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
