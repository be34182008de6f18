package io.netplane.endpoints.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.netplane.endpoints.config.EndpointsConfig;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * Lease-based leader election: the operator starts its streams and controller only while it holds the Lease, so two
 * replicas never write or publish at once. Losing the Lease ends the process; the next leader starts from the Kafka
 * snapshot and the API's lists, which is exactly a restart.
 */
@ApplicationScoped
public class LeaderGate {
    private static final Logger LOG = Logger.getLogger(LeaderGate.class);

    @Inject
    KubernetesClient client;
    @Inject
    EndpointsConfig config;

    private final CompletableFuture<Void> leading = new CompletableFuture<>();
    private final String identity = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("endpoints-operator")
            + "-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean started;
    private volatile String currentLeader;

    /** Blocks until this replica leads (at once when leader election is disabled). */
    public void awaitLeadership() throws InterruptedException {
        if (!config.leaderElection().enabled()) {
            return;
        }
        synchronized (this) {
            if (!started) {
                started = true;
                var lock = new LeaseLock(config.leaderElection().namespace(), config.leaderElection().leaseName(),
                        identity);
                client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                        .withName("endpoints-operator")
                        .withLock(lock)
                        .withLeaseDuration(Duration.ofSeconds(15))
                        .withRenewDeadline(Duration.ofSeconds(10))
                        .withRetryPeriod(Duration.ofSeconds(2))
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(this::onStart, this::onStop,
                                this::onNewLeader))
                        .build()).build().start();
                LOG.infof("waiting for Lease %s/%s as %s", config.leaderElection().namespace(),
                        config.leaderElection().leaseName(), identity);
            }
        }
        try {
            leading.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** True while another replica holds the Lease and this one waits to take over. */
    public boolean isStandby() {
        return config.leaderElection().enabled() && !leading.isDone() && currentLeader != null
                && !currentLeader.equals(identity);
    }

    private void onNewLeader(String leader) {
        currentLeader = leader;
        LOG.infof("leader is %s", leader);
    }

    public String identity() {
        return identity;
    }

    private void onStart() {
        LOG.infof("leading as %s", identity);
        leading.complete(null);
    }

    private void onStop() {
        if (leading.isDone()) {
            LOG.errorf("lost the Lease as %s; exiting so that a fresh start takes over", identity);
            Quarkus.asyncExit(1);
        }
    }
}
