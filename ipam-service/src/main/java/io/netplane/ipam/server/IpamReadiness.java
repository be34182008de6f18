package io.netplane.ipam.server;

import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.kube.Controllers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the allocation map is loaded and the Service watch has synced. */
@Readiness
@ApplicationScoped
public class IpamReadiness implements HealthCheck {
    @Inject
    AddressAuthority authority;
    @Inject
    Controllers controllers;

    @Override
    public HealthCheckResponse call() {
        boolean ready = controllers.ready();
        return HealthCheckResponse.named("ipam-service").status(ready)
                .withData("pools", authority.usage().size()).build();
    }
}
