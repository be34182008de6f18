package io.netplane.ipam.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.ipam.access.AccessDecider;
import io.netplane.ipam.access.CachingReviews;
import io.netplane.ipam.config.IpamConfig;
import io.netplane.ipam.kube.KubernetesReviews;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Produces the {@link AccessDecider} of the REST API's writes from {@code netplane.ipam.api.*}, at startup: a wrong
 * {@code auth} value stops the process instead of the first write, and {@code none} is logged before anyone writes.
 */
@ApplicationScoped
public class AccessProducer {
    private static final Logger LOG = Logger.getLogger(AccessProducer.class);

    @Produces
    @Singleton
    @Startup
    AccessDecider access(IpamConfig config, Instance<KubernetesClient> client, Clock clock) {
        IpamConfig.Api api = config.api();
        return switch (api.auth()) {
            case "kubernetes" -> {
                List<String> audiences = api.audiences().orElse(List.of()).stream().map(String::strip)
                        .filter(a -> !a.isEmpty()).toList();
                yield AccessDecider.reviewedBy(new CachingReviews(
                        new KubernetesReviews(client.get(), api.reviewTimeout()), clock, api.authCacheTtl(),
                        api.authCacheSize()), audiences);
            }
            case "none" -> {
                LOG.warn("netplane.ipam.api.auth=none: anyone who reaches the HTTP port may allocate and release");
                yield AccessDecider.open();
            }
            default -> throw new IllegalArgumentException("netplane.ipam.api.auth must be kubernetes or none, not "
                    + api.auth());
        };
    }
}
