package io.netplane.install.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Configuration of the install operator ({@code netplane.install.*}); application.properties maps the environment
 * a Deployment gives it (NETPLANE_INSTALL_NAMESPACE, RELATED_IMAGE_NODE_PROXY, OPERATOR_CONDITION_NAME, HOSTNAME).
 */
@ConfigMapping(prefix = "netplane.install")
public interface InstallConfig {
    /** The operator's namespace: its namespaced objects and its Lease live here, the components run here. */
    String namespace();

    /** The node-proxy image (OLM's relatedImages); unset means the one in the DaemonSet template. */
    Optional<String> nodeProxyImage();

    /** Set by OLM in the Deployments it installs; OLM then owns the ipam-service webhook. */
    Optional<String> olmOperatorCondition();

    /** This Pod's name, the reportingInstance of its Events. */
    Optional<String> podName();

    /** How soon a Netplane that is not Ready, or is Degraded, is looked at again. */
    @WithDefault("PT10S")
    Duration notReadyRequeue();

    /**
     * Exit when the Lease is lost, so that the Pod restarts as a standby instead of reconciling beside the new
     * leader (JOSDK's default; off in the tests, where losing it only means the test JVM is shutting down).
     */
    @WithDefault("true")
    boolean exitWhenLeadershipLost();

    /** From which failed attempt a failing reconcile shows as a Warning Event on the Netplane. */
    @WithDefault("3")
    int warnAfterFailures();
}
