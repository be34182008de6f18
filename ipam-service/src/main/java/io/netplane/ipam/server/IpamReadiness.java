package io.netplane.ipam.server;

import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.kube.Controllers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the allocation map is loaded, a leader is known, and (on the leader) the Service watch has synced.
 */
@Readiness
@ApplicationScoped
public class IpamReadiness implements HealthCheck {
    @Inject
    AddressAuthority authority;
    @Inject
    Controllers controllers;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("ipam-service").status(controllers.ready())
                .withData("pools", authority.usage().size());
        controllers.gate().ifPresent(g -> builder.withData("role", g.isLeader() ? "leader" : "standby")
                .withData("leader", g.leader().orElse("")).withData("leaderKnown", g.leaderKnown()));
        return builder.build();
    }
}
