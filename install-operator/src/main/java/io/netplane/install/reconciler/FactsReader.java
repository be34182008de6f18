package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.install.config.InstallConfig;
import io.netplane.install.model.Facts;
import io.netplane.install.model.InstallNames;
import java.util.Optional;

/** Reads what the plan depends on besides the spec: the environment, the webhook's CA, Strimzi's presence. */
final class FactsReader {
    private final InstallConfig config;

    FactsReader(InstallConfig config) {
        this.config = config;
    }

    Facts read(KubernetesClient client) {
        boolean underOlm = config.olmOperatorCondition().isPresent();
        // under OLM the webhook is OLM's, and so is its certificate: no need to read the Secret then
        Optional<String> ca = underOlm ? Optional.empty() : webhookCa(client);
        boolean strimzi = client.apiextensions().v1().customResourceDefinitions()
                .withName(InstallNames.STRIMZI_TOPIC_CRD).get() != null;
        return new Facts(config.namespace(), config.nodeProxyImage(), underOlm, ca, strimzi);
    }

    private Optional<String> webhookCa(KubernetesClient client) {
        Secret secret = client.secrets().inNamespace(config.namespace()).withName(InstallNames.WEBHOOK_SECRET).get();
        return Optional.ofNullable(secret).map(Secret::getData).map(d -> d.get(InstallNames.WEBHOOK_SECRET_CA_KEY))
                .filter(ca -> !ca.isBlank());
    }
}
