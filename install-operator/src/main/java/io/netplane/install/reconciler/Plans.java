package io.netplane.install.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.netplane.install.crd.Netplane;
import io.netplane.install.model.InstallPlan;

/** Where a reconcile leaves its {@link InstallPlan} for the dependents and their conditions to read. */
final class Plans {
    private Plans() {
    }

    static void put(Context<Netplane> context, InstallPlan plan) {
        context.managedWorkflowAndDependentResourceContext().put(InstallPlan.class, plan);
    }

    static InstallPlan of(Context<Netplane> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(InstallPlan.class, InstallPlan.class);
    }
}
