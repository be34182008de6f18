package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.ingress.config.IngressConfig;
import io.netplane.runtime.control.ControlLoop;
import io.netplane.runtime.control.ControlLoop.Result;
import io.netplane.runtime.events.EventRecorder;
import io.netplane.runtime.events.Subject;
import io.netplane.runtime.leader.LeaderGate;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the controller side when enabled: first reads back what is already on the routes topic (so deletions
 * that happened while it was down are tombstoned), then starts the informers and the control loop
 * ({@code ingresses}, paused), then, once the informers have listed, campaigns for the Lease. Every controller
 * replica runs the informers, which keep queueing the keys of the Ingresses that change (a warm standby); only the
 * leader's loop hands them to the reconciler, which publishes routes and writes status and Events. On becoming leader
 * it queues every Ingress and every published route and resumes the loop; standing down pauses it. A gateway-only
 * replica ({@code netplane.ingress.controller.enabled=false}) needs no API.
 */
@ApplicationScoped
public class ControllerService {
    private static final Logger LOG = Logger.getLogger(ControllerService.class);
    static final String LOOP = "ingresses";
    static final String COMPONENT = "netplane-ingress-controller";
    /** Not a {@code namespace/name}: the loop's key for the route sweep, which requeues itself. */
    static final String SWEEP = "(route sweep)";
    /** A reconcile that fails this many times in a row raises a Warning on the Ingress. */
    static final int WARN_AFTER_ATTEMPTS = 3;
    static final String SYNC_FAILED = "SyncFailed";
    private static final int WORKERS = 4;

    @Inject
    IngressConfig config;

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final Clock clock = Clock.systemUTC();
    private volatile RoutePublisher publisher;
    private volatile IngressInformers informers;
    private volatile ControlLoop loop;
    private volatile boolean started;
    private volatile boolean leading;
    private volatile boolean stopping;
    private volatile LeaderGate gate;

    void start(@Observes StartupEvent event) throws InterruptedException {
        if (!config.controller().enabled()) {
            LOG.info("controller disabled");
            return;
        }
        publisher = new RoutePublisher(bootstrapServers, clock);
        if (!publisher.awaitLedger(Duration.ofSeconds(60))) {
            LOG.warn("routes topic not read within 60s; starting anyway (stale routes are swept later)");
        }
        KubernetesClient c = client.get();
        informers = new IngressInformers(c);
        EventRecorder recorder = new EventRecorder(c, COMPONENT, System.getenv("HOSTNAME"), clock);
        IngressReconciler reconciler = new IngressReconciler(config, c, informers, publisher, recorder, clock);
        loop = ControlLoop.builder(LOOP, key -> SWEEP.equals(key) ? sweep() : reconciler.reconcile(key))
                .workers(WORKERS)
                .backoff(Duration.ofMillis(500), Duration.ofMinutes(2))
                .meters(meters)
                .onFailure(recorder.warnAfter(WARN_AFTER_ATTEMPTS, SYNC_FAILED,
                        key -> informers.ingress(key).map(Subject::of)))
                .startPaused()
                .build();
        informers.onChanges(loop::addAll, new IngressKeys(informers::ingressKeys, informers::ingressesIn,
                config.controller().publishService()));
        loop.add(SWEEP);
        loop.start();
        informers.start().thenRun(this::campaign).exceptionally(e -> {
            LOG.error("the ingress controller's informers failed to start", e);
            return null;
        });
    }

    /** The informers have listed: the controller is started and a candidate (or the leader, without election). */
    private synchronized void campaign() {
        if (stopping) {
            return;
        }
        started = true;
        LOG.infof("ingress controller started for controller name %s", config.controllerName());
        var election = config.controller().leaderElection();
        if (!election.enabled()) {
            lead();
            return;
        }
        KubernetesClient c = client.get();
        gate = new LeaderGate(c, election.settings("ingress-operator", c.getNamespace()), this::lead,
                this::standDown, meters, clock);
        gate.start();
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (gate != null) {
            gate.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (informers != null) {
            informers.stop();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** What changed while this replica was a standby was queued but not reconciled: every key is queued again. */
    private void lead() {
        publisher.leading(true);
        leading = true;
        LOG.info("leading: publishing routes and writing status; every Ingress is reconciled again");
        Set<String> keys = new LinkedHashSet<>(informers.ingressKeys());
        keys.addAll(publisher.publishedKeys());
        loop.addAll(keys);
        loop.resume();
    }

    private void standDown() {
        leading = false;
        loop.pause();
        publisher.leading(false);
        LOG.info("not leading: routes, status and Events are left to the leader");
    }

    /**
     * Queues the published routes whose Ingress is not in the informer's store (the reconcile confirms with the API
     * before withdrawing them): the safety net for a delete event missed while the controller was down or its watch
     * was reconnecting. Runs again after {@code sweep-interval}, only while leading (the loop is paused otherwise).
     */
    private Result sweep() {
        publisher.publishedKeys().stream().filter(k -> informers.ingress(k).isEmpty()).forEach(loop::add);
        return Result.requeueAfter(config.controller().sweepInterval());
    }

    public boolean started() {
        return started;
    }

    /** This replica may publish and write: it holds the Lease, or leader election is off. */
    public boolean leading() {
        return leading;
    }

    /** The Lease gate, when the controller runs with leader election on. */
    public Optional<LeaderGate> gate() {
        return Optional.ofNullable(gate);
    }
}
