package io.netplane.endpoints.stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the informers have synced and the term's initial publish (including restart tombstones) is acknowledged;
 * a standby is ready while it sees a leader (DOWN when no leader is known: see {@code LeaderGate#leaderKnown}).
 */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck {
    @Inject
    StreamsBootstrap bootstrap;

    @Override
    public HealthCheckResponse call() {
        var gate = bootstrap.gate();
        if (bootstrap.isStandby()) {
            // a standby replica is healthy while it sees a leader: it is ready to take over, and has nothing to serve
            return HealthCheckResponse.named("endpoints-operator-streams").status(gate.get().leaderKnown())
                    .withData("role", "standby").withData("leader", gate.get().leader().orElse("")).build();
        }
        var builder = HealthCheckResponse.named("endpoints-operator-streams").status(bootstrap.isReady())
                .withData("role", "leader");
        if (bootstrap.lastError() != null) {
            builder.withData("lastError", bootstrap.lastError());
        }
        return builder.build();
    }
}
