package io.netplane.ingress.reconciler;

import io.javaoperatorsdk.operator.Operator;
import io.netplane.ingress.config.IngressConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the controller side when enabled: first reads back what is already on the routes topic (so deletions
 * that happened while it was down are tombstoned), then starts the operator. The operator is not started
 * automatically ({@code quarkus.operator-sdk.start-operator=false}) so a gateway-only replica needs no API.
 */
@ApplicationScoped
public class ControllerService {
    private static final Logger LOG = Logger.getLogger(ControllerService.class);

    @Inject
    IngressConfig config;

    @Inject
    Instance<Operator> operator;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private volatile RoutePublisher publisher;
    private volatile boolean started;

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
    }

    void stop(@Observes ShutdownEvent event) {
        if (publisher != null) {
            publisher.close();
        }
    }

    RoutePublisher publisher() {
        return publisher;
    }

    public boolean started() {
        return started;
    }
}
