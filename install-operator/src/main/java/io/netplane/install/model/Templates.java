package io.netplane.install.model;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.List;

/**
 * The manifests of k8s/ that the planned objects start from, read once: {@link InstallPlanner} copies them and never
 * changes these.
 */
public record Templates(
        DaemonSet nodeProxy,
        IngressClass ingressClass,
        Service dnsService,
        MutatingWebhookConfiguration ipamWebhook,
        List<GenericKubernetesResource> kafkaTopics) {

    public Templates {
        kafkaTopics = List.copyOf(kafkaTopics);
    }
}
