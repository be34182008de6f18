package io.netplane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.testing.kafka.SharedKafka;
import io.netplane.testing.kube.KubeApiServer;
import io.netplane.testing.kube.SharedKubeApiServer;
import io.netplane.testing.process.FreePorts;
import io.netplane.testing.process.QuarkusApp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The spine end to end with real parts only: a Service created in a real kube-apiserver is published by the
 * endpoints-operator process on the real Kafka broker, and the dns-service process, fed from Kafka alone,
 * answers for it over UDP and TCP; deleting the Service turns the answer into NXDOMAIN.
 */
class WalkingSkeletonIT {
    private static final String NS = "skeleton";
    private static KubeApiServer kube;
    private static QuarkusApp endpoints;
    private static QuarkusApp dns;
    private static int dnsPort;

    @BeforeAll
    static void startPlatform() {
        kube = SharedKubeApiServer.server();
        String kafka = SharedKafka.bootstrapServers();
        try (KubernetesClient client = kube.newClient()) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
        }
        Map<String, String> endpointsConfig = new HashMap<>(kube.quarkusConfig(NS));
        endpointsConfig.put("kafka.bootstrap.servers", kafka);
        endpoints = QuarkusApp.start("endpoints-operator", endpointsConfig, Duration.ofSeconds(120));
        dnsPort = FreePorts.next();
        dns = QuarkusApp.start("dns-service", Map.of("kafka.bootstrap.servers", kafka,
                "netplane.dns.port", String.valueOf(dnsPort), "netplane.dns.bind-address", "127.0.0.1"), Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopPlatform() {
        if (dns != null) {
            dns.close();
        }
        if (endpoints != null) {
            endpoints.close();
        }
    }

    @Test
    void serviceCreatedInKubernetesIsAnsweredByDnsAndGoneAfterDelete() throws Exception {
        Name name = Name.fromString("web." + NS + ".svc.cluster.local.");
        assertThat(query(name, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        Service svc = new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withName("http").endPort().endSpec()
                .build();
        long t0 = System.nanoTime();
        Service created;
        try (KubernetesClient client = kube.newClient()) {
            created = client.resource(svc).create();
        }
        String clusterIp = created.getSpec().getClusterIP();
        assertThat(clusterIp).as("the API server allocated a ClusterIP").isNotBlank().isNotEqualTo("None");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> query(name, false).getRcode() == Rcode.NOERROR);
        long latencyMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[walking-skeleton] Service create -> DNS answer latency: %d ms%n", latencyMs);

        for (boolean tcp : new boolean[] {false, true}) {
            Message answer = query(name, tcp);
            assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(answer.getSection(Section.ANSWER)).singleElement()
                    .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo(clusterIp));
        }

        try (KubernetesClient client = kube.newClient()) {
            client.resource(created).delete();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> query(name, false).getRcode() == Rcode.NXDOMAIN);
        assertThat(query(name, true).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        // An outside consumer that knows only docs/events/asyncapi.json sees the create and the tombstone.
        ContractConsumer outside = new ContractConsumer(Path.of("..", "docs", "events", "asyncapi.json"));
        List<ContractConsumer.Raw> records = ContractConsumer.readAll(SharedKafka.bootstrapServers(), "netplane.services.v1")
                .stream().filter(r -> r.key().equals(NS + "/web")).toList();
        assertThat(records).as("a state event then a tombstone for " + NS + "/web").hasSizeGreaterThanOrEqualTo(2);
        assertThat(records.get(0).value()).contains(clusterIp);
        assertThat(records.get(records.size() - 1).value()).isNull();
        for (ContractConsumer.Raw r : records) {
            assertThat(outside.violations("netplane.services.v1", r)).isEmpty();
        }
    }

    private static Message query(Name name, boolean tcp) throws IOException {
        SimpleResolver resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(dnsPort);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
    }
}
