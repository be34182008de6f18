package io.netplane.install.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The install-time configuration of the cluster's Netplane: one cluster-scoped object named {@code default} (it does
 * not implement {@link Namespaced}).
 */
@Group("netplane.io")
@Version("v1alpha1")
@Kind("Netplane")
@Plural("netplanes")
@Singular("netplane")
public class Netplane extends CustomResource<NetplaneSpec, NetplaneStatus> {
    /** The only name the CRD admits. */
    public static final String NAME = "default";
}
