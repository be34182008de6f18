package io.netplane.ingress.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the gateway has loaded the routes and EndpointSlices snapshot (or is disabled). */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    @Inject
    GatewayService gateway;

    @Override
    public HealthCheckResponse call() {
        if (!gateway.enabled()) {
            return HealthCheckResponse.named("ingress-gateway").up().withData("enabled", false).build();
        }
        return HealthCheckResponse.named("ingress-gateway").status(gateway.caughtUp())
                .withData("snapshot", gateway.caughtUp() ? "loaded" : "loading").build();
    }
}
