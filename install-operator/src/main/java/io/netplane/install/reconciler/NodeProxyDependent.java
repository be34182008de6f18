package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.netplane.install.crd.Netplane;

/** The node-proxy DaemonSet; its status changes re-reconcile the Netplane (NodeProxyAvailable). */
@KubernetesDependent(informer = @Informer(namespaces = Constants.WATCH_CURRENT_NAMESPACE))
public class NodeProxyDependent extends CRUDKubernetesDependentResource<DaemonSet, Netplane> {
    public NodeProxyDependent() {
        super(DaemonSet.class);
    }

    @Override
    protected DaemonSet desired(Netplane primary, Context<Netplane> context) {
        return Plans.of(context).nodeProxy();
    }
}
