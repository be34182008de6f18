package io.netplane.policy.model;

import io.netplane.api.labels.LabelSelector;

/**
 * A (namespace, pod) selector pair: the unit an address set is built for and shared by. Exactly one of
 * {@code namespace} (the policy's own namespace, for a peer with only a podSelector, and for the policy's
 * spec.podSelector) and {@code namespaceSelector} is set; {@code podSelector} is never null (empty = all Pods).
 */
public record AddressSelector(String namespace, LabelSelector namespaceSelector, LabelSelector podSelector) {

    public AddressSelector {
        if ((namespace == null) == (namespaceSelector == null)) {
            throw new IllegalArgumentException("exactly one of namespace and namespaceSelector must be set");
        }
        podSelector = podSelector == null ? LabelSelector.EVERYTHING : podSelector;
    }

    public static AddressSelector inNamespace(String namespace, LabelSelector podSelector) {
        return new AddressSelector(namespace, null, podSelector);
    }

    public static AddressSelector acrossNamespaces(LabelSelector namespaceSelector, LabelSelector podSelector) {
        return new AddressSelector(null, namespaceSelector, podSelector);
    }

    public boolean matchesNamespace(NamespaceInfo ns) {
        return namespace != null ? namespace.equals(ns.name()) : namespaceSelector.matches(ns.labels());
    }

    /** Whether {@code pod} (living in {@code ns}) is selected. Host-network Pods never are. */
    public boolean matches(PodInfo pod, NamespaceInfo ns) {
        return !pod.hostNetwork() && ns != null && ns.name().equals(pod.namespace())
                && matchesNamespace(ns) && podSelector.matches(pod.labels());
    }

    /** A stable readable form; equal selectors (whatever their term order) have equal forms. */
    public String canonical() {
        String nsPart = namespace != null ? "namespace=" + namespace : "namespaceSelector={" + namespaceSelector.canonical() + "}";
        return nsPart + " podSelector={" + podSelector.canonical() + "}";
    }
}
