package io.netplane.runtime.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease-based leader election shared by every operator: {@code onStart} runs when this replica starts leading,
 * {@code onStop} when it loses the Lease, and then it is a candidate again, never silently idle. Both run, in that
 * order, on one thread of the gate's own, so a slow start never delays a renewal. Closing it releases the Lease so a
 * standby takes over at once.
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
    private final ExecutorService callbacks;
    private final String identity = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("netplane")
            + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicBoolean leading = new AtomicBoolean();
    private volatile String holder;
    private volatile Instant lastRenewalSeen;
    private final Object observedLock = new Object();
    private LeaderElectionRecord lastRecord;
    private volatile boolean closed;
    private CompletableFuture<?> round;

    public LeaderGate(KubernetesClient client, Settings settings, Runnable onStart, Runnable onStop,
            MeterRegistry meters, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.onStart = onStart;
        this.onStop = onStop;
        this.clock = clock;
        this.lastRenewalSeen = clock.instant();
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, settings.component() + "-leader");
            t.setDaemon(true);
            return t;
        });
        if (meters != null) {
            Gauge.builder("netplane_leader", this, g -> g.isLeader() ? 1 : 0).tag("component", settings.component())
                    .description("1 while this replica holds the component's Lease").register(meters);
            Gauge.builder("netplane_leader_known", this, g -> g.leaderKnown() ? 1 : 0)
                    .tag("component", settings.component())
                    .description("1 while this replica leads or has seen the Lease renewed within a lease duration")
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
                .withLock(new ObservedLock(new LeaseLock(settings.namespace(), settings.leaseName(), identity),
                        this::observed))
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
        if (leading.compareAndSet(false, true)) {
            LOG.info("leading Lease {}/{} as {}", settings.namespace(), settings.leaseName(), identity);
            run(onStart, "start");
        }
    }

    private void stopped() {
        if (leading.compareAndSet(true, false)) {
            // the replica that took the Lease may already have been observed: only this replica's claim is gone
            synchronized (observedLock) {
                if (identity.equals(holder)) {
                    holder = null;
                }
            }
            LOG.warn("lost Lease {}/{} as {}", settings.namespace(), settings.leaseName(), identity);
            run(onStop, "stop");
        }
    }

    private void run(Runnable callback, String what) {
        try {
            callbacks.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    LOG.error("{}: the leader {} callback failed", settings.component(), what, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: gate closed, {} callback not run", settings.component(), what);
        }
    }

    private void newLeader(String leader) {
        if (leader == null || leader.isEmpty()) {
            return; // a release: the next holder is reported when one takes the Lease
        }
        LOG.info("{}: leader is {}", settings.component(), leader);
        holder = leader;
    }

    /** Every record the elector reads or writes: a changed record with a holder is a renewal seen now. */
    private void observed(LeaderElectionRecord record) {
        String heldBy = record.getHolderIdentity();
        boolean held = heldBy != null && !heldBy.isEmpty();
        // its own lock: the elector calls this holding its lock, and the gate's monitor guards the rounds
        synchronized (observedLock) {
            holder = held ? heldBy : null;
            if (held && !ObservedLock.sameRenewal(lastRecord, record)) {
                lastRenewalSeen = clock.instant();
            }
            lastRecord = record;
        }
    }

    public boolean isLeader() {
        return leading.get();
    }

    /** The identity of the current holder as last observed, or empty. */
    public Optional<String> leader() {
        return Optional.ofNullable(holder);
    }

    public String identity() {
        return identity;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * True while this replica leads or has seen the Lease renewed within one lease duration (one lease duration of
     * grace after start). False when the holder stopped renewing or this replica's view is stale.
     */
    public boolean leaderKnown() {
        return LeaderHealth.healthy(isLeader(), lastRenewalSeen, clock.instant(), settings.leaseDuration());
    }

    /** Stops campaigning, releases the Lease if held, and waits briefly for {@code onStop} to have run. */
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
        callbacks.shutdown();
        try {
            if (!callbacks.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("{}: leader callbacks still running at close", settings.component());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
