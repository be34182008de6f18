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

    private Message query(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(server.port());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }
}
