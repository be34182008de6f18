package io.netplane.runtime.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.netplane.testing.kube.KubeApiServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An informer whose first list fails (its kind is not served yet) keeps trying and syncs once it is. */
@ExtendWith(KubeApiServerExtension.class)
class InformersIT {
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("informers.netplane.io").withVersion("v1").withKind("Widget").withPlural("widgets")
            .withNamespaced(true).build();

    @Test
    void aFirstListThatFailsIsRetriedUntilItSucceeds(KubernetesClient client) throws Exception {
        var informer = client.genericKubernetesResources(WIDGETS).inAnyNamespace().runnableInformer(0);
        var synced = Informers.startRetrying(List.of(informer));
        Thread.sleep(2_000); // several failed lists: the kind does not exist yet
        assertThat(synced).isNotDone();

        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("widgets.informers.netplane.io").endMetadata()
                .withNewSpec().withGroup("informers.netplane.io").withScope("Namespaced")
                .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            client.genericKubernetesResources(WIDGETS).inNamespace("default").resource(
                    new GenericKubernetesResourceBuilder().withApiVersion("informers.netplane.io/v1")
                            .withKind("Widget").withNewMetadata().withName("w").withNamespace("default")
                            .endMetadata().withAdditionalProperties(Map.of("spec", Map.of())).build())
                    .createOr(r -> r.update());
            return true;
        });
        synced.get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> informer.getStore().getByKey("default/w") != null);
        informer.stop();
    }
}
