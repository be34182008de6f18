package io.netplane.policy.reconciler;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the informers have listed and the whole compiled state has been published. */
@Readiness
@ApplicationScoped
public class PolicyReadiness implements HealthCheck {
    private final PolicyWatcher watcher;

    public PolicyReadiness(PolicyWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("policy-compiler").status(watcher.isReady()).build();
    }
}
