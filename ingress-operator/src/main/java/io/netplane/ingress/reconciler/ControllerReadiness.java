package io.netplane.ingress.reconciler;

import io.netplane.ingress.config.IngressConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the controller has read the routes topic back and its informers have listed (or it is disabled); a
 * standby only while it sees a leader.
 */
@Readiness
@ApplicationScoped
public class ControllerReadiness implements HealthCheck {

    @Inject
    IngressConfig config;

    @Inject
    ControllerService controller;

    @Override
    public HealthCheckResponse call() {
        if (!config.controller().enabled()) {
            return HealthCheckResponse.named("ingress-controller").up().withData("enabled", false).build();
        }
        var gate = controller.gate();
        if (gate.isPresent() && !controller.leading()) {
            return HealthCheckResponse.named("ingress-controller")
                    .status(controller.started() && gate.get().leaderKnown())
                    .withData("role", "standby").withData("leader", gate.get().leader().orElse("")).build();
        }
        return HealthCheckResponse.named("ingress-controller").status(controller.started())
                .withData("role", "leader").build();
    }
}
