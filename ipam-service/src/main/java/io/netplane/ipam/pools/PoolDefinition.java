package io.netplane.ipam.pools;

import io.netplane.api.labels.LabelSelector;
import java.util.List;

/**
 * An IPAddressPool cut down: its name, creation order, raw address entries and selectors (null = match all).
 */
public record PoolDefinition(String name, String createdAt, List<String> addresses, LabelSelector serviceSelector,
        LabelSelector namespaceSelector) {
    public PoolDefinition {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }
}
