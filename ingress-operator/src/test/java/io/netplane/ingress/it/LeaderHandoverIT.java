package io.netplane.ingress.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.ingress.reconciler.ControllerService;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.netplane.runtime.leader.LeaderGate;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.netplane.testing.kube.Leases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A controller replica that loses the Lease stops publishing routes and writing status, is a candidate again, and
 * once the other holder's lease has run out leads again and reconciles what changed meanwhile.
 */
@QuarkusTest
@TestProfile(LeaderHandoverIT.ShortLease.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = KubeApiServerTestResource.NAMESPACE_ARG, value = LeaderHandoverIT.NS))
class LeaderHandoverIT {
    static final String NS = "ingress-handover";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;
    @Inject
    ControllerService controller;

    public static class ShortLease extends ControllerProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of(
                    "netplane.ingress.controller.leader-election.lease-name", "ingress-handover-it",
                    "netplane.ingress.controller.leader-election.lease-duration", "3s",
                    "netplane.ingress.controller.leader-election.renew-deadline", "2s",
                    "netplane.ingress.controller.leader-election.retry-period", "500ms");
        }
    }

    private void ingress(String name) {
        client.resource(new IngressBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withIngressClassName("netplane")
                .addNewRule().withHost(name + ".handover.example").withNewHttp().addNewPath().withPath("/")
                .withPathType("Prefix").withNewBackend().withNewService().withName("web").withNewPort()
                .withName("http").endPort().endService().endBackend().endPath().endHttp().endRule()
                .endSpec().build()).create();
    }

    private boolean hasStatus(String name) {
        Ingress i = client.network().v1().ingresses().inNamespace(NS).withName(name).get();
        return i != null && i.getStatus() != null && i.getStatus().getLoadBalancer() != null
                && i.getStatus().getLoadBalancer().getIngress() != null
                && !i.getStatus().getLoadBalancer().getIngress().isEmpty();
    }

    @Test
    void aReplicaThatLosesTheLeaseStopsWritingAndTakesOverAgain() throws InterruptedException {
        LeaderGate gate = controller.gate().orElseThrow();
        await().atMost(WAIT).until(() -> controller.started() && controller.leading());
        client.resource(new IngressClassBuilder().withNewMetadata().withName("netplane").endMetadata()
                .withNewSpec().withController("netplane.io/ingress-controller").endSpec().build()).serverSideApply();
        client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080))
                .endPort().endSpec().build()).create();
        Set<String> routes = ConcurrentHashMap.newKeySet();
        EventHandler handler = new EventHandler() {
            @Override
            public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                if (value == null) {
                    routes.remove(key);
                } else {
                    routes.add(key);
                }
            }
        };
        try (var follower = new SnapshotFollower(SharedKafka.bootstrapServers(), "handover-it", List.of(Topics.ROUTES),
                handler).start()) {
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            ingress("before");
            await().atMost(WAIT).until(() -> hasStatus("before") && routes.contains(NS + "/before"));

            // another replica takes the Lease, renews it for 6 s and then stops
            LeaderGate.Settings lease = gate.settings();
            Leases.holdFor(client, lease.namespace(), lease.leaseName(), "other-replica", Duration.ofSeconds(6));
            await().atMost(Duration.ofSeconds(5)).until(() -> !controller.leading());
            ingress("during");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> !hasStatus("during") && !routes.contains(NS + "/during"));

            // leading again: the Ingress created meanwhile is reconciled (routes and status)
            await().atMost(Duration.ofSeconds(20)).until(controller::leading);
            await().atMost(WAIT).until(() -> hasStatus("during") && routes.contains(NS + "/during"));
            assertThat(routes).contains(NS + "/before");
        }
    }
}
