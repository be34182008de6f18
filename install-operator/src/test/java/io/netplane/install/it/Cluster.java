package io.netplane.install.it;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netplane.install.crd.Netplane;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the ITs do to the API server in place of the controllers that do not run there (no kubelet, no Deployment
 * or DaemonSet controller): create component Deployments and Pods, write workload status, read conditions and Events.
 */
final class Cluster {
    static final String NS = "netplane-system";
    private final KubernetesClient client;

    Cluster(KubernetesClient client) {
        this.client = client;
    }

    Netplane netplane() {
        return client.resources(Netplane.class).withName(Netplane.NAME).get();
    }

    Optional<Condition> condition(String type) {
        Netplane np = netplane();
        if (np == null || np.getStatus() == null || np.getStatus().conditions() == null) {
            return Optional.empty();
        }
        return np.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** A Pod as a component Deployment's would be labelled; unscheduled, so that a delete removes it at once. */
    void pod(String name, String component) {
        client.resource(new PodBuilder().withNewMetadata().withNamespace(NS).withName(name)
                .addToLabels("app.kubernetes.io/name", component).addToLabels("app.kubernetes.io/part-of", "netplane")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("img").endContainer().endSpec()
                .build()).create();
    }

    boolean podGone(String name) {
        var pod = client.pods().inNamespace(NS).withName(name).get();
        return pod == null || pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** The component Deployment, with the status its controller would write once its Pods are available. */
    void availableDeployment(String name) {
        Deployment d = client.resource(new DeploymentBuilder().withNewMetadata().withNamespace(NS).withName(name)
                .addToLabels("app.kubernetes.io/name", name).addToLabels("app.kubernetes.io/part-of", "netplane")
                .endMetadata().withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app.kubernetes.io/name", name)
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/name", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("img").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
                .addNewCondition().withType("Available").withStatus("True").withReason("MinimumReplicasAvailable")
                .withMessage("Deployment has minimum availability.").endCondition().build());
        client.resource(d).updateStatus();
    }

    /** The node-proxy DaemonSet's status as its controller would write it with one node and its Pod available. */
    void nodeProxyAvailable() {
        client.apps().daemonSets().inNamespace(NS).withName("node-proxy").editStatus(ds -> {
            ds.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder()
                    .withObservedGeneration(ds.getMetadata().getGeneration()).withDesiredNumberScheduled(1)
                    .withCurrentNumberScheduled(1).withNumberReady(1).withNumberAvailable(1).withUpdatedNumberScheduled(1)
                    .withNumberMisscheduled(0).build());
            return ds;
        });
    }

    /** Warning Events about the Netplane (recorded in namespace default, as for any cluster-scoped object). */
    List<Event> warnings(String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "Netplane".equals(e.getInvolvedObject().getKind()))
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }

    /** A stand-in for Strimzi's CRD: the operator only needs the API to serve KafkaTopics. */
    void installStrimziTopicCrd() {
        CustomResourceDefinition crd = Serialization.unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: kafkatopics.kafka.strimzi.io}
                spec:
                  group: kafka.strimzi.io
                  names: {kind: KafkaTopic, listKind: KafkaTopicList, plural: kafkatopics, singular: kafkatopic}
                  scope: Namespaced
                  versions:
                  - name: v1beta2
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """, CustomResourceDefinition.class);
        client.resource(crd).serverSideApply();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                        60, TimeUnit.SECONDS);
    }

    static boolean ownedBy(HasMetadata object, Netplane owner) {
        return object != null && object.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> r.getUid().equals(owner.getMetadata().getUid()) && "Netplane".equals(r.getKind()));
    }
}
