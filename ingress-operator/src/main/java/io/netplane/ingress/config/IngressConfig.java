package io.netplane.ingress.config;

import io.netplane.runtime.leader.LeaderElectionConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the ingress-operator reads from configuration; the controller and the gateway can run apart. */
@ConfigMapping(prefix = "netplane.ingress")
public interface IngressConfig {

    /** The {@code spec.controller} value of the IngressClasses this controller implements. */
    @WithDefault("netplane.io/ingress-controller")
    String controllerName();

    Controller controller();

    Gateway gateway();

    interface Controller {
        /** Run the Ingress reconciler (needs the Kubernetes API). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Addresses (IPs or hostnames) written to each served Ingress's {@code status.loadBalancer.ingress}, instead of
         * the ones read from the gateway's Service.
         */
        Optional<List<String>> statusAddresses();

        /**
         * {@code namespace/name} of the gateway's Service, whose load-balancer addresses (else external IPs, else
         * ClusterIPs) are written to served Ingresses; empty for none.
         */
        @WithDefault("netplane-system/ingress-gateway")
        Optional<String> publishService();

        /** How often routes of deleted Ingresses are looked for (deletion is confirmed with the API). */
        @WithDefault("15s")
        Duration sweepInterval();

        /** Only the holder of this Lease publishes routes and writes status and Events; standbys stay warm. */
        LeaderElectionConfig leaderElection();
    }

    interface Gateway {
        /** Run the HTTP(S) gateway (needs Kafka). */
        @WithDefault("true")
        boolean enabled();

        /** The IngressClass whose routes this gateway serves. */
        @WithDefault("netplane")
        String className();

        @WithDefault("0.0.0.0")
        String host();

        @WithDefault("8080")
        int httpPort();

        /** Negative disables HTTPS. */
        @WithDefault("8443")
        int httpsPort();

        @WithDefault("16384")
        int maxHeaderBytes();

        @WithDefault("3")
        int connectAttempts();

        @WithDefault("2s")
        Duration connectTimeout();

        @WithDefault("60s")
        Duration responseTimeout();

        @WithDefault("true")
        boolean accessLog();

        @WithDefault("false")
        boolean cleartextHttp2();

        /** {@code namespace/service:port} (a port name, or a number for single-port Services) for unmatched requests. */
        Optional<String> defaultBackend();

        /** {@code namespace/name} of the TLS Secret served when no Ingress binds the requested name. */
        Optional<String> defaultCertificate();

        /**
         * Read TLS Secrets from this directory ({@code <dir>/<namespace>/<name>/tls.crt|tls.key}) instead of the
         * Kubernetes API.
         */
        Optional<String> secretsDirectory();

        @WithDefault("10s")
        Duration tlsReloadInterval();

        /**
         * Event loops serving each listener; default one per CPU (as nginx's {@code worker_processes auto}): a
         * proxied request stays on its loop, so more loops than CPUs only add context switches.
         */
        java.util.OptionalInt eventLoops();
    }
}
