package io.netplane.dns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netplane.api.events.Topics;
import io.netplane.dns.config.DnsConfig;
import io.netplane.dns.records.ZoneAnswerer;
import io.netplane.dns.records.Views;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaBroker;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The broker goes away: the zone already built keeps being answered and the reachability gauge drops to 0.
 * Uses a broker of its own (the shared one must outlive every test).
 */
class ZoneFeedKafkaLossIT {

    static DnsConfig config() {
        Map<String, Object> values = Map.of("zone", "cluster.local", "ttl", 5, "negativeTtl", 5, "pods", "disabled",
                "nameserverAddresses", Optional.empty(), "clientId", "zone-feed-loss-test");
        return (DnsConfig) Proxy.newProxyInstance(DnsConfig.class.getClassLoader(), new Class<?>[] {DnsConfig.class},
                (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                });
    }

    @Test
    void keepsServingTheLastZoneAndSaysKafkaIsUnreachable() throws Exception {
        KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory("dns-kafka-loss"), 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ZoneFeed feed = new ZoneFeed(config(), broker.bootstrapServers(), registry);
        try {
            try (EventPublisher publisher = new EventPublisher(broker.bootstrapServers(), "/netplane/test",
                    Clock.systemUTC())) {
                publisher.publish(Topics.SERVICES, Views.clusterIp("loss", "web", List.of("10.96.5.5"))).get();
            }
            feed.start(null);
            await().atMost(Duration.ofSeconds(60)).until(feed::isCaughtUp);
            await().atMost(Duration.ofSeconds(20)).until(() -> registry.get("netplane.dns.kafka.reachable").gauge()
                    .value() == 1.0);
            Name web = Name.fromString("web.loss.svc.cluster.local.");
            assertThat(ZoneAnswerer.answer(feed.current(), web, Type.A).answer()).hasSize(1);

            broker.close();

            await().atMost(Duration.ofSeconds(30)).until(() -> registry.get("netplane.dns.kafka.reachable").gauge()
                    .value() == 0.0);
            assertThat(feed.isCaughtUp()).isTrue();
            assertThat(ZoneAnswerer.answer(feed.current(), web, Type.A).answer()).hasSize(1);
        } finally {
            feed.stop(null);
            broker.close();
        }
    }
}
