package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.install.model.Component;
import io.netplane.install.model.InstallNames;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Restarts the component Deployments' Pods (their Deployments make new ones, which read the cluster ConfigMap at
 * start). Only Pods labelled as a component: never this operator's own.
 */
final class ComponentRestarter {
    private static final Logger LOG = Logger.getLogger(ComponentRestarter.class);

    void restart(KubernetesClient client, String namespace, String reason) {
        String[] names = Component.deployments().stream().map(Component::workload).toArray(String[]::new);
        List<Pod> pods = client.pods().inNamespace(namespace)
                .withLabel(InstallNames.LABEL_PART_OF, InstallNames.PART_OF)
                .withLabelIn(InstallNames.LABEL_NAME, names)
                .list().getItems();
        for (Pod pod : pods) {
            client.resource(pod).delete();
        }
        LOG.infof("restarted %d component Pods in %s: %s", pods.size(), namespace, reason);
    }
}
