package io.netplane.ingress.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.Topics;
import io.netplane.ingress.gateway.GatewayService;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The defaults a user sees, against the real kube-apiserver: an ADDRESS in {@code kubectl get ingress} without any
 * address setting, and a deleted Ingress no longer served as soon as the delete event arrives (the sweep runs
 * every 10 minutes here).
 */
@QuarkusTest
@TestProfile(DefaultsProfile.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = KubeApiServerTestResource.NAMESPACE_ARG, value = IngressDefaultsIT.NS))
class IngressDefaultsIT {
    static final String NS = "ingress-defaults";

    @Inject
    KubernetesClient client;

    @Inject
    GatewayService gateway;

    private List<String> address(String ingress) {
        Ingress i = client.network().v1().ingresses().inNamespace(NS).withName(ingress).get();
        return i.getStatus() == null || i.getStatus().getLoadBalancer() == null
                || i.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                : i.getStatus().getLoadBalancer().getIngress().stream().map(a -> a.getHostname() + "|" + a.getIp())
                        .toList();
    }

    @Test
    void addressByDefaultAndRoutesWithdrawnOnTheDeleteEvent() throws Exception {
        client.resource(new IngressClassBuilder().withNewMetadata().withName("netplane").endMetadata()
                .withNewSpec().withController("netplane.io/ingress-controller").endSpec().build()).serverSideApply();
        client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                .endSpec().build()).create();
        try (LoopbackBackend backend = new LoopbackBackend("web-pod");
                EventPublisher publisher = new EventPublisher(SharedKafka.bootstrapServers(), "/test", Clock.systemUTC())) {
            publisher.publish(Topics.ENDPOINT_SLICES, new EndpointSliceView(NS, "web-x1", "1", Instant.now(), "web", "IPv4",
                    "test", List.of(new EndpointPortView("http", "TCP", backend.port(), null)),
                    List.of(new EndpointView(List.of("127.0.0.1"), true, true, false, null, null, null, null, null, null))))
                    .get(30, TimeUnit.SECONDS);
            client.resource(new IngressBuilder().withNewMetadata().withName("shop").withNamespace(NS).endMetadata()
                    .withNewSpec().withIngressClassName("netplane").addNewRule().withHost("shop.defaults.example")
                    .withNewHttp().addToPaths(IngressControllerIT.path("/", "Prefix", "web", "http", null)).endHttp()
                    .endRule().endSpec().build()).create();
            int port = gateway.httpPort();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> HttpProbe.get(port, "shop.defaults.example", "/").status() == 200);

            // no gateway Service yet: the gateway's own listen address
            await().atMost(Duration.ofSeconds(30)).until(() -> address("shop").equals(List.of("null|127.0.0.1")));

            // the gateway's Service (the default publish-service) appears: its ClusterIP
            client.resource(new NamespaceBuilder().withNewMetadata().withName("netplane-system").endMetadata().build())
                    .create();
            String clusterIP = client.resource(new ServiceBuilder().withNewMetadata().withName("ingress-gateway")
                    .withNamespace("netplane-system").endMetadata().withNewSpec().addNewPort().withName("http")
                    .withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create()
                    .getSpec().getClusterIP();
            assertThat(clusterIP).isNotBlank();
            await().atMost(Duration.ofSeconds(30)).until(() -> address("shop").equals(List.of("null|" + clusterIP)));

            // deleted: no longer served within seconds, long before the next sweep
            client.network().v1().ingresses().inNamespace(NS).withName("shop").delete();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> HttpProbe.get(port, "shop.defaults.example", "/").status() == 404);
        }
    }
}
