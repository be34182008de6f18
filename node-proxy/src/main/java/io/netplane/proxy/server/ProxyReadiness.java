package io.netplane.proxy.server;

import io.netplane.proxy.kafka.ProxyFeed;
import io.netplane.proxy.sync.SyncLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the Kafka snapshot is read and the first full sync has been applied. */
@Readiness
@ApplicationScoped
public class ProxyReadiness implements HealthCheck {
    @Inject
    ProxyFeed feed;
    @Inject
    SyncLoop loop;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("node-proxy")
                .status(feed.caughtUp() && loop.synced())
                .withData("snapshotCaughtUp", feed.caughtUp())
                .withData("lastSync", loop.lastSync() == null ? "never" : loop.lastSync().toString())
                .withData("rules", loop.ruleCount())
                .build();
    }
}
