package io.netplane.policy.model;

import java.util.HashMap;
import java.util.Map;

/**
 * A Namespace cut down to its name and labels. The control plane always sets
 * {@code kubernetes.io/metadata.name=<name>}; it is added here too so a selector on it always works.
 */
public record NamespaceInfo(String name, Map<String, String> labels) {
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public NamespaceInfo {
        Map<String, String> l = new HashMap<>(labels == null ? Map.of() : labels);
        l.put(NAME_LABEL, name);
        labels = Map.copyOf(l);
    }
}
