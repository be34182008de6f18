package io.netplane.ingress.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that keeps failing ends as a Warning Event on the Ingress, as upstream's controllers do: here the API
 * server refuses every status write (the configured address is not a valid hostname), the control loop retries the
 * key with backoff, and from the third failed attempt on the Ingress carries a {@code SyncFailed} Event with the
 * error, written once while the error stays the same.
 */
@QuarkusTest
@TestProfile(SyncFailureIT.BadAddress.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = KubeApiServerTestResource.NAMESPACE_ARG, value = SyncFailureIT.NS))
class SyncFailureIT {
    static final String NS = "ingress-sync";

    @Inject
    KubernetesClient client;

    public static class BadAddress extends ControllerProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of("netplane.ingress.controller.status-addresses", "not_a_hostname");
        }
    }

    private List<Event> syncFailed() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "shop".equals(e.getInvolvedObject().getName()) && "SyncFailed".equals(e.getReason()))
                .toList();
    }

    @Test
    void aStatusWriteThatKeepsFailingIsReportedOnTheIngress() throws InterruptedException {
        client.resource(new IngressClassBuilder().withNewMetadata().withName("netplane").endMetadata()
                .withNewSpec().withController("netplane.io/ingress-controller").endSpec().build()).serverSideApply();
        client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                .endSpec().build()).create();
        client.resource(new IngressBuilder().withNewMetadata().withName("shop").withNamespace(NS).endMetadata()
                .withNewSpec().withIngressClassName("netplane").addNewRule().withHost("shop.sync.example")
                .withNewHttp().addToPaths(IngressControllerIT.path("/", "Prefix", "web", "http", null)).endHttp()
                .endRule().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(60)).until(() -> !syncFailed().isEmpty());
        Event event = syncFailed().get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).startsWith("reconciling Ingress " + NS + "/shop failed: ");
        assertThat(event.getReportingComponent()).isEqualTo("netplane-ingress-controller");
        assertThat(event.getInvolvedObject().getUid())
                .isEqualTo(client.network().v1().ingresses().inNamespace(NS).withName("shop").get().getMetadata().getUid());
        // the loop keeps retrying (backoff doubling from 500 ms); the same error is not told again
        Thread.sleep(4000);
        assertThat(syncFailed()).hasSize(1);
    }
}
