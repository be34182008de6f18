package io.netplane.ipam.crd;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A cluster-scoped pool of addresses that Services of type LoadBalancer get their ingress IPs from. */
@Group("netplane.io")
@Version("v1alpha1")
@Kind("IPAddressPool")
@Plural("ipaddresspools")
@ShortNames("nppool")
public class IPAddressPool extends CustomResource<IPAddressPoolSpec, IPAddressPoolStatus> {
}
