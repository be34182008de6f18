package io.netplane.ingress.gateway;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.ingress.config.IngressConfig;
import io.netplane.ingress.kafka.RouteFeed;
import io.netplane.ingress.routing.Backend;
import io.netplane.ingress.tls.CertificateSource;
import io.netplane.ingress.tls.DirectoryCertificateSource;
import io.netplane.ingress.tls.KubernetesCertificateSource;
import io.netplane.ingress.tls.SecretRef;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the gateway inside the Quarkus service: listeners first (serving 404/default until routes arrive), then
 * the Kafka feed (snapshot, then follow). Ready once the snapshot is loaded.
 */
@ApplicationScoped
public class GatewayService {
    private static final Logger LOG = Logger.getLogger(GatewayService.class);

    @Inject
    IngressConfig config;

    @Inject
    Vertx vertx;

    @Inject
    Instance<KubernetesClient> kubernetes;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private GatewayServer server;
    private SnapshotFollower follower;

    void start(@Observes StartupEvent event) throws Exception {
        IngressConfig.Gateway gw = config.gateway();
        if (!gw.enabled()) {
            LOG.info("gateway disabled");
            return;
        }
        Backend defaultBackend = gw.defaultBackend().map(GatewayService::parseBackend).orElse(null);
        SecretRef defaultCertificate = gw.defaultCertificate().map(SecretRef::parse).orElse(null);
        GatewayState state = new GatewayState(RouteFeed.initial(defaultBackend, defaultCertificate));
        GatewaySettings settings = new GatewaySettings(gw.host(), gw.httpPort(), gw.httpsPort(), gw.maxHeaderBytes(),
                gw.connectAttempts(), gw.connectTimeout(), gw.responseTimeout(), gw.accessLog(), defaultCertificate,
                gw.tlsReloadInterval(), gw.cleartextHttp2(),
                gw.eventLoops().orElse(Runtime.getRuntime().availableProcessors()));
        server = new GatewayServer(vertx, settings, state, certificateSource(gw), new GatewayMetrics(registry));
        server.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        RouteFeed feed = new RouteFeed(gw.className(), defaultBackend, defaultCertificate, state, () -> {
            if (gw.httpsPort() >= 0) {
                server.reloadTls();
            }
        });
        follower = new SnapshotFollower(bootstrapServers, "ingress-gateway-" + gw.className(), RouteFeed.topics(), feed)
                .start();
    }

    private CertificateSource certificateSource(IngressConfig.Gateway gw) {
        if (gw.secretsDirectory().isPresent()) {
            return new DirectoryCertificateSource(Path.of(gw.secretsDirectory().get()));
        }
        return new KubernetesCertificateSource(kubernetes::get);
    }

    /** Parses {@code namespace/service:port}; a numeric port is a number, anything else a port name. */
    static Backend parseBackend(String text) {
        int slash = text.indexOf('/');
        int colon = text.lastIndexOf(':');
        if (slash <= 0 || colon < slash + 2 || colon == text.length() - 1) {
            throw new IllegalArgumentException("default backend must be namespace/service:port, got \"" + text + "\"");
        }
        String port = text.substring(colon + 1);
        boolean numeric = port.chars().allMatch(Character::isDigit);
        return new Backend(text.substring(0, slash), text.substring(slash + 1, colon),
                numeric ? Integer.valueOf(port) : null, numeric ? null : port);
    }

    void stop(@Observes ShutdownEvent event) {
        if (follower != null) {
            follower.close();
        }
        if (server != null) {
            server.close();
        }
    }

    public boolean enabled() {
        return config.gateway().enabled();
    }

    public boolean caughtUp() {
        return follower != null && follower.isCaughtUp();
    }

    public int httpPort() {
        return server.httpPort();
    }

    public int httpsPort() {
        return server.httpsPort();
    }
}
