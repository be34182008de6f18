package io.netplane.ipam.pools;

import io.netplane.api.labels.LabelSelector;
import java.util.List;

/**
 * An IPAddressPool cut down: its name, creation order, raw address entries and selectors (null = match all);
 * {@code selectorError} says why a selector could not be read (the pool is then invalid).
 */
public record PoolDefinition(String name, String createdAt, List<String> addresses, LabelSelector serviceSelector,
        LabelSelector namespaceSelector, String selectorError) {
    public PoolDefinition {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    public PoolDefinition(String name, String createdAt, List<String> addresses, LabelSelector serviceSelector,
            LabelSelector namespaceSelector) {
        this(name, createdAt, addresses, serviceSelector, namespaceSelector, null);
    }
}
