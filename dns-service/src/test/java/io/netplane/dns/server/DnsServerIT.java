package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.api.events.Topics;
import io.netplane.dns.kafka.ZoneFeed;
import io.netplane.dns.records.Views;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.DClass;

/** The walking skeleton end to end: a ServiceView on the real broker becomes an A record over UDP and TCP. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DnsServerIT {
    static EventPublisher publisher;

    @Inject
    DnsServer server;
    @Inject
    ZoneFeed feed;

    @BeforeAll
    static void publisher() {
        publisher = new EventPublisher(SharedKafka.bootstrapServers(), "/netplane/dns-service-test", Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        publisher.close();
    }

    @Test
    void serviceBecomesARecordAndTombstoneBecomesNxdomain() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(feed::isCaughtUp);
        publisher.publish(Topics.SERVICES, Views.clusterIp("skeleton", "web", List.of("10.96.7.7"))).get();

        for (boolean tcp : new boolean[] {false, true}) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Message r = query("web.skeleton.svc.cluster.local.", Type.A, tcp);
                assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
                assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("10.96.7.7");
            });
        }

        publisher.tombstone(Topics.SERVICES, "skeleton/web").get();
        for (boolean tcp : new boolean[] {false, true}) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Message r = query("web.skeleton.svc.cluster.local.", Type.A, tcp);
                assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
                assertThat(r.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
            });
        }
    }

    @Test
    void headlessServiceWithSlicesAndPodsFromKafka() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(feed::isCaughtUp);
        publisher.publish(Topics.SERVICES, Views.headless("kafka", "db", false, Views.port("pg", "TCP", 5432))).get();
        publisher.publish(Topics.ENDPOINT_SLICES, Views.slice("kafka", "db-x1", "db", "IPv4",
                List.of(Views.epPort("pg", "TCP", 5432)), Views.endpoint("db-0", true, "10.9.0.5"),
                Views.endpoint("db-1", false, "10.9.0.6"))).get();
        publisher.publish(Topics.PODS, Views.pod("kafka", "db-0", "db-0", "db", true, "10.9.0.5")).get();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Message r = query("db.kafka.svc.cluster.local.", Type.A, false);
            assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("10.9.0.5");
        });
        Message srv = query("_pg._tcp.db.kafka.svc.cluster.local.", Type.SRV, true);
        assertThat(srv.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly("0 100 5432 db-0.db.kafka.svc.cluster.local.");
        // %test runs pods in verified mode
        Message pod = query("10-9-0-5.kafka.pod.cluster.local.", Type.A, false);
        assertThat(pod.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("10.9.0.5");
        assertThat(query("10-9-0-99.kafka.pod.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        // the endpoint becomes ready: the change arrives as a new full slice
        publisher.publish(Topics.ENDPOINT_SLICES, Views.slice("kafka", "db-x1", "db", "IPv4",
                List.of(Views.epPort("pg", "TCP", 5432)), Views.endpoint("db-0", true, "10.9.0.5"),
                Views.endpoint("db-1", true, "10.9.0.6"))).get();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                query("db.kafka.svc.cluster.local.", Type.A, false).getSection(Section.ANSWER))
                .extracting(Record::rdataToString).containsExactlyInAnyOrder("10.9.0.5", "10.9.0.6"));
    }

    @Test
    void malformedAndInvalidEventsChangeNothingElse() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(feed::isCaughtUp);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(java.util.Map.of(
                "bootstrap.servers", SharedKafka.bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.SERVICES.name(), "bad/json",
                    "{not json".getBytes())).get();
        }
        publisher.publish(Topics.SERVICES, Views.clusterIp("bad", "ip", List.of("10.96.300.1"))).get();
        publisher.publish(Topics.SERVICES, Views.clusterIp("bad", "fine", List.of("10.96.30.1"))).get();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                query("fine.bad.svc.cluster.local.", Type.A, false).getSection(Section.ANSWER))
                .extracting(Record::rdataToString).containsExactly("10.96.30.1"));
        assertThat(query("ip.bad.svc.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(feed.current().rejected()).anyMatch(r -> r.startsWith("bad/ip: ") && r.contains("10.96.300.1"));
    }

    @Test
    void readinessAndMetricsAreServedOverHttp() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(feed::isCaughtUp);
        query("metrics.probe.svc.cluster.local.", Type.A, false);
        publisher.publish(Topics.SERVICES, Views.clusterIp("probe", "latency", List.of("10.96.44.4"))).get();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                query("latency.probe.svc.cluster.local.", Type.A, false).getSection(Section.ANSWER)).hasSize(1));
        var http = java.net.http.HttpClient.newHttpClient();
        var ready = http.send(java.net.http.HttpRequest.newBuilder(health.toURI()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"snapshotCaughtUp\": true").contains("\"port\": " + server.port());
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(this.metrics.toURI()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("netplane_dns_requests_total{proto=\"udp\",type=\"A\"}")
                .contains("netplane_dns_responses_total{rcode=\"NXDOMAIN\"}")
                .contains("netplane_dns_request_duration_seconds_bucket")
                .contains("netplane_dns_kafka_reachable 1.0")
                .contains("netplane_dns_zone_rebuild_seconds_count")
                .containsPattern("netplane_dns_programming_latency_seconds_count [1-9]");
    }

    @io.quarkus.test.common.http.TestHTTPResource("/q/health/ready")
    java.net.URL health;
    @io.quarkus.test.common.http.TestHTTPResource("/q/metrics")
    java.net.URL metrics;

    private Message query(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(server.port());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }
}
