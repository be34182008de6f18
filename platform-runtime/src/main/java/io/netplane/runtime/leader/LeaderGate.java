package io.netplane.runtime.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease-based leader election shared by every operator: {@code onStart} runs when this replica starts leading,
 * {@code onStop} when it loses the Lease, and then it is a candidate again, never silently idle. Closing it releases
 * the Lease so a standby takes over at once.
 */
public final class LeaderGate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderGate.class);

    /** Where the Lease lives and upstream's timing defaults (15s/10s/2s). */
    public record Settings(String namespace, String leaseName, String component, Duration leaseDuration,
            Duration renewDeadline, Duration retryPeriod) {
        public Settings {
            if (!(leaseDuration.compareTo(renewDeadline) > 0 && renewDeadline.compareTo(retryPeriod) > 0)) {
                throw new IllegalArgumentException("leader election needs lease duration > renew deadline > retry"
                        + " period, got " + leaseDuration + " / " + renewDeadline + " / " + retryPeriod);
            }
        }

        public static Settings defaults(String namespace, String leaseName, String component) {
            return new Settings(namespace, leaseName, component, Duration.ofSeconds(15), Duration.ofSeconds(10),
                    Duration.ofSeconds(2));
        }
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final Runnable onStart;
    private final Runnable onStop;
    private final Clock clock;
    private final String identity = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("netplane")
            + "-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean leading;
    private volatile String holder;
    private volatile Instant leaderSeenAt;
    private volatile boolean closed;
    private CompletableFuture<?> round;

    public LeaderGate(KubernetesClient client, Settings settings, Runnable onStart, Runnable onStop,
            MeterRegistry meters, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.onStart = onStart;
        this.onStop = onStop;
        this.clock = clock;
        this.leaderSeenAt = clock.instant();
        if (meters != null) {
            Gauge.builder("netplane_leader", this, g -> g.isLeader() ? 1 : 0).tag("component", settings.component())
                    .register(meters);
        }
    }

    /** Becomes a candidate; returns at once. */
    public synchronized void start() {
        if (closed || round != null) {
            return;
        }
        LOG.info("candidate for Lease {}/{} as {}", settings.namespace(), settings.leaseName(), identity);
        round = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(settings.component())
                .withLock(new LeaseLock(settings.namespace(), settings.leaseName(), identity))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::newLeader))
                .build()).build().start();
        round.whenComplete((ignored, error) -> again());
    }

    private synchronized void again() {
        round = null;
        if (!closed) {
            start();
        }
    }

    private void started() {
        LOG.info("leading Lease {}/{} as {}", settings.namespace(), settings.leaseName(), identity);
        leading = true;
        onStart.run();
    }

    private void stopped() {
        if (leading) {
            leading = false;
            holder = null;
            leaderSeenAt = clock.instant();
            LOG.warn("lost Lease {}/{} as {}", settings.namespace(), settings.leaseName(), identity);
            onStop.run();
        }
    }

    private void newLeader(String leader) {
        holder = leader;
        leaderSeenAt = clock.instant();
    }

    public boolean isLeader() {
        return leading;
    }

    /** The identity of the current holder as last observed, or empty. */
    public Optional<String> leader() {
        return Optional.ofNullable(holder);
    }

    public String identity() {
        return identity;
    }

    /** False when no leader has been known for longer than the lease duration; a standby is healthy. */
    public boolean leaderKnown() {
        return LeaderHealth.healthy(holder != null || leading, leaderSeenAt, clock.instant(),
                settings.leaseDuration());
    }

    /** Stops campaigning and releases the Lease if held. */
    @Override
    public void close() {
        CompletableFuture<?> current;
        synchronized (this) {
            closed = true;
            current = round;
        }
        if (current != null) {
            current.cancel(true);
        }
        stopped();
    }
}
