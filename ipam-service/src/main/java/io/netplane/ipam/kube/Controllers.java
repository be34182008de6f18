package io.netplane.ipam.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.config.IpamConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Starts the Kubernetes watchers when configured (kubernetes store and {@code netplane.ipam.controllers=true}). */
@ApplicationScoped
public class Controllers {
    @Inject
    IpamConfig config;
    @Inject
    AddressAuthority authority;
    @Inject
    Instance<KubernetesClient> client;
    @Inject
    Clock clock;

    private ServiceController services;

    void start(@Observes StartupEvent ev) {
        if (!config.controllers() || !"kubernetes".equals(config.store())) {
            return;
        }
        KubernetesClient c = client.get();
        EventRecorder events = new EventRecorder(c, clock);
        services = new ServiceController(c, authority, Duration.ofSeconds(config.repairGraceSeconds()), events, clock,
                svc -> { });
        services.start(Duration.ofSeconds(config.repairIntervalSeconds()));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (services != null) {
            services.close();
        }
    }

    public Optional<ServiceController> services() {
        return Optional.ofNullable(services);
    }

    /** Ready when not watching, or when the Service informer has synced. */
    public boolean ready() {
        return services == null || services.synced();
    }
}
