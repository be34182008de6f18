package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.ingress.config.IngressConfig;
import io.netplane.runtime.leader.LeaderGate;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the controller side when enabled: first reads back what is already on the routes topic (so deletions
 * that happened while it was down are tombstoned), then starts the operator, then campaigns for the Lease. Every
 * controller replica runs the operator's informers (a warm standby); only the leader publishes routes and writes
 * status and Events, and on becoming leader it reconciles every Ingress again. The operator is not started
 * automatically ({@code quarkus.operator-sdk.start-operator=false}) so a gateway-only replica needs no API.
 */
@ApplicationScoped
public class ControllerService {
    private static final Logger LOG = Logger.getLogger(ControllerService.class);

    @Inject
    IngressConfig config;

    @Inject
    Instance<Operator> operator;

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final List<Runnable> onLeading = new CopyOnWriteArrayList<>();
    private volatile RoutePublisher publisher;
    private volatile boolean started;
    private volatile boolean leading;
    private LeaderGate gate;

    void start(@Observes StartupEvent event) throws InterruptedException {
        if (!config.controller().enabled()) {
            LOG.info("controller disabled");
            return;
        }
        publisher = new RoutePublisher(bootstrapServers, Clock.systemUTC());
        if (!publisher.awaitLedger(Duration.ofSeconds(60))) {
            LOG.warn("routes topic not read within 60s; starting anyway (stale routes are swept later)");
        }
        operator.get().start();
        started = true;
        LOG.infof("ingress controller started for controller name %s", config.controllerName());
        var election = config.controller().leaderElection();
        if (!election.enabled()) {
            lead();
            return;
        }
        KubernetesClient c = client.get();
        gate = new LeaderGate(c, election.settings("ingress-operator", c.getNamespace()), this::lead,
                this::standDown, meters, Clock.systemUTC());
        gate.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (gate != null) {
            gate.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    private void lead() {
        publisher.leading(true);
        leading = true;
        LOG.info("leading: publishing routes and writing status; every Ingress is reconciled again");
        onLeading.forEach(Runnable::run);
    }

    private void standDown() {
        leading = false;
        publisher.leading(false);
        LOG.info("not leading: routes, status and Events are left to the leader");
    }

    /** Runs {@code action} each time this replica starts leading (from then on, not for a term already begun). */
    void onLeading(Runnable action) {
        onLeading.add(action);
    }

    RoutePublisher publisher() {
        return publisher;
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
