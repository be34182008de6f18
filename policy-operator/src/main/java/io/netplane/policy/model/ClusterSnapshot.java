package io.netplane.policy.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable cluster view from plain collections (for explanations over a fixed state, and for tests). */
public record ClusterSnapshot(Map<String, NamespaceInfo> namespaces, Map<String, List<CheckedPolicy>> policies,
        List<PodInfo> pods) implements ClusterView {

    public static ClusterSnapshot of(Collection<NamespaceInfo> namespaces, Collection<PodInfo> pods, Collection<PolicySpec> policies) {
        Map<String, NamespaceInfo> ns = new LinkedHashMap<>();
        namespaces.forEach(n -> ns.put(n.name(), n));
        Map<String, List<CheckedPolicy>> byNs = new HashMap<>();
        policies.forEach(p -> byNs.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(PolicyChecker.check(p)));
        return new ClusterSnapshot(Map.copyOf(ns), Map.copyOf(byNs), List.copyOf(pods));
    }

    @Override
    public NamespaceInfo namespace(String name) {
        return namespaces.get(name);
    }

    @Override
    public Collection<CheckedPolicy> policiesIn(String namespace) {
        return policies.getOrDefault(namespace, List.of());
    }
}
