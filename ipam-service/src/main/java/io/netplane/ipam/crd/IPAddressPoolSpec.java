package io.netplane.ipam.crd;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Which addresses a pool hands out, and to which Services. */
public class IPAddressPoolSpec {
    /** CIDRs ({@code 192.0.2.0/28}) or inclusive ranges ({@code 192.0.2.10-192.0.2.20}), IPv4 and/or IPv6. */
    public List<String> addresses;
    /** Only Services whose labels match (all Services when unset). */
    public LabelSelector serviceSelector;
    /** Only Services in namespaces whose labels match (all namespaces when unset). */
    public LabelSelector namespaceSelector;
}
