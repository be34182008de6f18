package io.netplane.dns.server;

import io.netplane.dns.kafka.ZoneFeed;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once both listeners are bound and the zone is built from a caught-up Kafka snapshot, until the server is
 * told to stop (its lame-duck time).
 */
@Readiness
@ApplicationScoped
public class DnsReadiness implements HealthCheck {
    private final ZoneFeed feed;
    private final DnsServer server;

    public DnsReadiness(ZoneFeed feed, DnsServer server) {
        this.feed = feed;
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dns")
                .status(feed.isCaughtUp() && feed.current() != null && server.isListening() && !server.isDraining())
                .withData("snapshotCaughtUp", feed.isCaughtUp())
                .withData("listening", server.isListening())
                .withData("draining", server.isDraining())
                .withData("port", server.port())
                .withData("kafkaReachable", feed.isKafkaReachable())
                .build();
    }
}
