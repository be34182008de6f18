package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.netplane.install.crd.Netplane;

/** The IngressClass of the Netplane ingress controller, named by {@code spec.ingress.className}. */
public class IngressClassDependent extends CRUDKubernetesDependentResource<IngressClass, Netplane> {
    public IngressClassDependent() {
        super(IngressClass.class);
    }

    @Override
    protected IngressClass desired(Netplane primary, Context<Netplane> context) {
        return Plans.of(context).ingressClass();
    }
}
