package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.netplane.install.crd.Netplane;

/**
 * The ipam-service MutatingWebhookConfiguration, written only when the plan has it: not under OLM (which writes its
 * own) and with the serving certificate's CA at hand. It is an activation condition, not a reconcile precondition,
 * so that a Secret gone missing leaves the webhook as it is instead of deleting it.
 */
public class IpamWebhookDependent extends CRUDKubernetesDependentResource<MutatingWebhookConfiguration, Netplane> {
    public IpamWebhookDependent() {
        super(MutatingWebhookConfiguration.class);
    }

    @Override
    protected MutatingWebhookConfiguration desired(Netplane primary, Context<Netplane> context) {
        return Plans.of(context).ipamWebhook().orElseThrow();
    }

    /** Active when the plan has the webhook. */
    public static class Planned implements Condition<MutatingWebhookConfiguration, Netplane> {
        @Override
        public boolean isMet(DependentResource<MutatingWebhookConfiguration, Netplane> dependent, Netplane primary,
                Context<Netplane> context) {
            return Plans.of(context).ipamWebhook().isPresent();
        }
    }
}
