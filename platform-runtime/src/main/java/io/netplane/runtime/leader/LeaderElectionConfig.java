package io.netplane.runtime.leader;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code leader-election} group of every operator's {@code @ConfigMapping}: where its Lease lives and upstream's
 * timing (kube-controller-manager's 15s/10s/2s). The lease name has no default here: each component sets its own in
 * its {@code application.properties}.
 */
public interface LeaderElectionConfig {
    /** Off only for tests and single-replica development: the process then leads from the start. */
    @WithDefault("true")
    boolean enabled();

    /** Namespace of the Lease; empty for the client's namespace (the ServiceAccount's in a Pod), else default. */
    Optional<String> namespace();

    String leaseName();

    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();

    /** The gate's settings, with {@code clientNamespace} (may be null) standing in for an unset namespace. */
    default LeaderGate.Settings settings(String component, String clientNamespace) {
        String ns = namespace().filter(n -> !n.isBlank())
                .orElse(clientNamespace == null || clientNamespace.isBlank() ? "default" : clientNamespace);
        return new LeaderGate.Settings(ns, leaseName(), component, leaseDuration(), renewDeadline(), retryPeriod());
    }
}
