package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.netplane.install.crd.Netplane;

/** The ConfigMap {@code netplane-cluster}: the settings the components read at start. */
@KubernetesDependent(informer = @Informer(namespaces = Constants.WATCH_CURRENT_NAMESPACE))
public class ClusterConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, Netplane> {
    public ClusterConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(Netplane primary, Context<Netplane> context) {
        return Plans.of(context).configMap();
    }
}
