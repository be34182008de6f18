package io.netplane.ipam.crd;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One allocated address, node port or pod CIDR (cluster-scoped). Its name is derived from the value, so creating it
 * is the atomic claim: the API server lets exactly one creator win.
 */
@Group("netplane.io")
@Version("v1alpha1")
@Kind("Allocation")
@Plural("allocations")
@ShortNames("npalloc")
public class Allocation extends CustomResource<AllocationSpec, Void> {
}
