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
        var builder = HealthCheckResponse.named("endpoints-operator-streams").status(bootstrap.isReady());
        if (bootstrap.lastError() != null) {
            builder.withData("lastError", bootstrap.lastError());
        }
        return builder.build();
    }
}
