package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.netplane.install.crd.Netplane;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Strimzi KafkaTopics of the Netplane topics (k8s/kafka/topics.yaml). Strimzi is optional: this dependent, and
 * its informer, are active only while the plan has topics, that is while Strimzi's KafkaTopic CRD exists.
 */
@KubernetesDependent(informer = @Informer(namespaces = Constants.WATCH_CURRENT_NAMESPACE))
public class KafkaTopicsDependent extends CRUDKubernetesDependentResource<KafkaTopic, Netplane>
        implements CRUDKubernetesBulkDependentResource<KafkaTopic, Netplane>,
        KubernetesBulkDependentResource<KafkaTopic, Netplane> {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    public KafkaTopicsDependent() {
        super(KafkaTopic.class);
    }

    @Override
    public Map<ResourceID, KafkaTopic> desiredResources(Netplane primary, Context<Netplane> context) {
        return Plans.of(context).kafkaTopics().stream().map(KafkaTopicsDependent::typed)
                .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
    }

    private static KafkaTopic typed(GenericKubernetesResource topic) {
        return JSON.convertValue(topic, KafkaTopic.class);
    }

    /** Active when the plan has topics. */
    public static class Planned implements Condition<KafkaTopic, Netplane> {
        @Override
        public boolean isMet(DependentResource<KafkaTopic, Netplane> dependent, Netplane primary,
                Context<Netplane> context) {
            return !Plans.of(context).kafkaTopics().isEmpty();
        }
    }
}
