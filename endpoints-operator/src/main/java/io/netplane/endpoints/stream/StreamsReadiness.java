package io.netplane.endpoints.stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the informers have synced and the initial publish (including restart tombstones) is acknowledged. */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck {
    @Inject
    StreamsBootstrap bootstrap;

    @Override
    public HealthCheckResponse call() {
        if (bootstrap.isStandby()) {
            // a standby replica is healthy: it is ready to take over, and has nothing to serve
            return HealthCheckResponse.named("endpoints-operator-streams").up().withData("role", "standby").build();
        }
        var builder = HealthCheckResponse.named("endpoints-operator-streams").status(bootstrap.isReady())
                .withData("role", "leader");
        if (bootstrap.lastError() != null) {
            builder.withData("lastError", bootstrap.lastError());
        }
        return builder.build();
    }
}
