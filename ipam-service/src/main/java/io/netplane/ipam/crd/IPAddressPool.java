package io.netplane.ipam.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A cluster-scoped pool of addresses that Services of type LoadBalancer get their ingress IPs from. {@code kubectl get
 * ipaddresspools} shows whether ipam-service accepted it and how full it is.
 */
@Group("netplane.io")
@Version("v1alpha1")
@Kind("IPAddressPool")
@Plural("ipaddresspools")
@ShortNames("nppool")
@AdditionalPrinterColumn(name = "Valid", type = Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Valid\")].status")
@AdditionalPrinterColumn(name = "Exhausted", type = Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Exhausted\")].status")
@AdditionalPrinterColumn(name = "Size", type = Type.INTEGER, jsonPath = ".status.size")
@AdditionalPrinterColumn(name = "Used", type = Type.INTEGER, jsonPath = ".status.used")
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class IPAddressPool extends CustomResource<IPAddressPoolSpec, IPAddressPoolStatus> {
}
