package io.netplane.install.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.netplane.api.report.Problem;
import java.util.List;
import java.util.Optional;

/**
 * Every object the operator owns for a valid spec, computed once per reconcile; the dependents only read it.
 *
 * @param ipamWebhook empty when the webhook is not this operator's to write (under OLM, or its certificate missing)
 * @param kafkaTopics empty when Strimzi is not installed
 * @param configHash {@link ConfigHash} of the ConfigMap's data
 * @param problems what the user should fix that does not stop the install
 */
public record InstallPlan(
        ConfigMap configMap,
        DaemonSet nodeProxy,
        IngressClass ingressClass,
        Service dnsService,
        Optional<MutatingWebhookConfiguration> ipamWebhook,
        List<GenericKubernetesResource> kafkaTopics,
        String configHash,
        List<Problem> problems) {

    public InstallPlan {
        kafkaTopics = List.copyOf(kafkaTopics);
        problems = List.copyOf(problems);
    }
}
