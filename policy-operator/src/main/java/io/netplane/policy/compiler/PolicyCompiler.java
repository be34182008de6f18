package io.netplane.policy.compiler;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.labels.LabelSelector;
import io.netplane.policy.model.AddressSelector;
import io.netplane.policy.model.CheckedPolicy;
import io.netplane.policy.model.ClusterView;
import io.netplane.policy.model.NamespaceInfo;
import io.netplane.policy.model.PodInfo;
import io.netplane.policy.model.PolicyChecker;
import io.netplane.policy.model.PolicySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The incremental policy compiler: holds the cut-down cluster state, one {@link AddressSet} per distinct
 * (namespace, pod) selector pair shared by every policy that uses it, and the changes not yet flushed. A Pod
 * change touches only the sets of its namespace and the namespace-selector sets that match its namespace; a
 * Namespace change re-evaluates only that namespace's Pods. Not thread-safe: the shell serialises calls.
 */
public final class PolicyCompiler implements ClusterView {
    /** The selector of every Pod in the cluster (used to resolve egress named ports of peer-less rules). */
    public static final AddressSelector ALL_PODS = AddressSelector.acrossNamespaces(LabelSelector.EVERYTHING, LabelSelector.EVERYTHING);

    private final Map<String, NamespaceInfo> namespaces = new HashMap<>();
    private final Map<String, PodInfo> pods = new HashMap<>();
    private final Map<String, Map<String, PodInfo>> podsByNs = new HashMap<>();
    private final Map<String, String> podByIp = new HashMap<>();
    private final Map<String, CheckedPolicy> policies = new HashMap<>();
    private final Map<String, Map<String, CheckedPolicy>> policiesByNs = new HashMap<>();
    private final Map<String, AddressSet> sets = new HashMap<>();
    private final Map<String, Set<AddressSet>> exactSetsByNs = new HashMap<>();
    private final Set<AddressSet> selectorSets = new LinkedHashSet<>();
    private final Map<String, Set<AddressSet>> selectorSetsByNs = new HashMap<>();

    private final Set<AddressSet> dirtySets = new LinkedHashSet<>();
    private final Set<String> removedSets = new LinkedHashSet<>();
    private final Set<String> dirtyPolicies = new LinkedHashSet<>();
    private final Set<String> removedPolicies = new LinkedHashSet<>();
    private final Map<String, List<String>> invalid = new LinkedHashMap<>();

    // ---- inputs

    public void upsertNamespace(NamespaceInfo ns, String resourceVersion) {
        namespaces.put(ns.name(), ns);
        refreshNamespace(ns.name(), resourceVersion);
    }

    public void deleteNamespace(String name, String resourceVersion) {
        if (namespaces.remove(name) != null) {
            refreshNamespace(name, resourceVersion);
        }
    }

    public void upsertPod(PodInfo pod, String resourceVersion) {
        PodInfo old = pods.put(pod.key(), pod);
        if (pod.equals(old)) {
            return;
        }
        if (old != null) {
            old.ips().forEach(ip -> podByIp.remove(ip, old.key()));
        }
        if (!pod.hostNetwork()) {
            pod.ips().forEach(ip -> podByIp.put(ip, pod.key()));
        }
        podsByNs.computeIfAbsent(pod.namespace(), k -> new HashMap<>()).put(pod.key(), pod);
        refreshPod(pod.namespace(), pod.key(), pod, resourceVersion);
    }

    public void deletePod(String namespace, String name, String resourceVersion) {
        String key = namespace + "/" + name;
        PodInfo old = pods.remove(key);
        if (old == null) {
            return;
        }
        old.ips().forEach(ip -> podByIp.remove(ip, key));
        Map<String, PodInfo> inNs = podsByNs.get(namespace);
        inNs.remove(key);
        if (inNs.isEmpty()) {
            podsByNs.remove(namespace);
        }
        refreshPod(namespace, key, null, resourceVersion);
    }

    public void upsertPolicy(PolicySpec spec) {
        CheckedPolicy checked = PolicyChecker.check(spec);
        CheckedPolicy old = policies.put(checked.key(), checked);
        policiesByNs.computeIfAbsent(spec.namespace(), k -> new HashMap<>()).put(checked.key(), checked);
        Set<AddressSelector> now = PolicyViews.references(checked);
        now.forEach(s -> acquire(s, checked.key(), spec.resourceVersion()));
        if (old != null) {
            Set<String> kept = new HashSet<>();
            now.forEach(s -> kept.add(s.canonical()));
            PolicyViews.references(old).stream().filter(s -> !kept.contains(s.canonical())).forEach(s -> release(s, old.key()));
        }
        removedPolicies.remove(checked.key());
        dirtyPolicies.add(checked.key());
        if (checked.errors().isEmpty()) {
            invalid.remove(checked.key());
        } else {
            invalid.put(checked.key(), checked.errors());
        }
    }

    public void deletePolicy(String namespace, String name) {
        String key = namespace + "/" + name;
        CheckedPolicy old = policies.remove(key);
        if (old == null) {
            return;
        }
        policiesByNs.get(namespace).remove(key);
        PolicyViews.references(old).forEach(s -> release(s, key));
        dirtyPolicies.remove(key);
        invalid.remove(key);
        removedPolicies.add(key);
    }

    /** The changes since the previous flush, stamped with {@code observedAt}; clears them. */
    public CompileDelta flush(Instant observedAt) {
        List<IpSetView> setViews = dirtySets.stream().map(s -> s.view(observedAt)).toList();
        List<PolicyView> policyViews = dirtyPolicies.stream()
                .map(k -> PolicyViews.view(policies.get(k), this::setId, observedAt)).toList();
        CompileDelta d = new CompileDelta(setViews, policyViews, List.copyOf(removedPolicies), List.copyOf(removedSets),
                Map.copyOf(invalid));
        dirtySets.clear();
        dirtyPolicies.clear();
        removedPolicies.clear();
        removedSets.clear();
        invalid.clear();
        return d;
    }

    /** The whole current state as views (for a full republish). */
    public CompileDelta snapshot(Instant observedAt) {
        return new CompileDelta(sets.values().stream().map(s -> s.view(observedAt)).toList(),
                policies.values().stream().map(p -> PolicyViews.view(p, this::setId, observedAt)).toList(),
                List.of(), List.of(), Map.of());
    }

    // ---- ClusterView and reads

    @Override
    public NamespaceInfo namespace(String name) {
        return namespaces.get(name);
    }

    @Override
    public Collection<CheckedPolicy> policiesIn(String namespace) {
        return policiesByNs.getOrDefault(namespace, Map.of()).values();
    }

    public PodInfo pod(String key) {
        return pods.get(key);
    }

    /** The (non host-network) Pod holding {@code ip}, or null. */
    public PodInfo podByIp(String ip) {
        String key = podByIp.get(ip);
        return key == null ? null : pods.get(key);
    }

    public List<PodInfo> podsIn(String namespace) {
        return List.copyOf(podsByNs.getOrDefault(namespace, Map.of()).values());
    }

    public Set<String> setIds() {
        Set<String> ids = new HashSet<>();
        sets.values().forEach(s -> ids.add(s.id));
        return ids;
    }

    public Set<String> policyKeys() {
        return Set.copyOf(policies.keySet());
    }

    public int setCount() {
        return sets.size();
    }

    public int policyCount() {
        return policies.size();
    }

    /** The current view of a set by id (for tests and diagnostics), or null. */
    public IpSetView set(String id, Instant observedAt) {
        return sets.values().stream().filter(s -> s.id.equals(id)).findFirst().map(s -> s.view(observedAt)).orElse(null);
    }

    private String setId(AddressSelector s) {
        return sets.get(s.canonical()).id;
    }

    // ---- set maintenance

    private void refreshPod(String namespace, String key, PodInfo pod, String rv) {
        NamespaceInfo ns = namespaces.get(namespace);
        for (AddressSet s : candidates(namespace)) {
            update(s, key, pod, ns, rv);
        }
    }

    private void refreshNamespace(String name, String rv) {
        NamespaceInfo ns = namespaces.get(name);
        Set<AddressSet> before = selectorSetsByNs.getOrDefault(name, Set.of());
        Set<AddressSet> after = new LinkedHashSet<>();
        if (ns != null) {
            selectorSets.stream().filter(s -> s.selector.matchesNamespace(ns)).forEach(after::add);
        }
        Set<AddressSet> affected = new LinkedHashSet<>(before);
        affected.addAll(after);
        affected.addAll(exactSetsByNs.getOrDefault(name, Set.of()));
        if (after.isEmpty()) {
            selectorSetsByNs.remove(name);
        } else {
            selectorSetsByNs.put(name, after);
        }
        Collection<PodInfo> inNs = podsByNs.getOrDefault(name, Map.of()).values();
        for (AddressSet s : affected) {
            for (PodInfo p : inNs) {
                update(s, p.key(), p, ns, rv);
            }
        }
    }

    private Collection<AddressSet> candidates(String namespace) {
        Set<AddressSet> exact = exactSetsByNs.getOrDefault(namespace, Set.of());
        Set<AddressSet> bySelector = selectorSetsByNs.getOrDefault(namespace, Set.of());
        if (bySelector.isEmpty()) {
            return exact;
        }
        List<AddressSet> all = new ArrayList<>(exact);
        all.addAll(bySelector);
        return all;
    }

    private void update(AddressSet s, String key, PodInfo pod, NamespaceInfo ns, String rv) {
        MemberView m = pod != null && !pod.ips().isEmpty() && s.selector.matches(pod, ns) ? member(pod) : null;
        if (s.put(key, m)) {
            s.resourceVersion = rv;
            dirtySets.add(s);
        }
    }

    static MemberView member(PodInfo pod) {
        List<ContainerPortView> named = pod.ports().stream().filter(p -> p.name() != null && !p.name().isEmpty()).toList();
        return new MemberView(pod.key(), pod.ips(), pod.nodeName(), named);
    }

    private void acquire(AddressSelector selector, String policyKey, String rv) {
        AddressSet s = sets.get(selector.canonical());
        if (s == null) {
            s = new AddressSet(selector);
            s.resourceVersion = rv;
            sets.put(selector.canonical(), s);
            populate(s);
            removedSets.remove(s.id);
            dirtySets.add(s);
        }
        s.referencedBy.add(policyKey);
    }

    private void populate(AddressSet s) {
        if (s.selector.namespace() != null) {
            exactSetsByNs.computeIfAbsent(s.selector.namespace(), k -> new LinkedHashSet<>()).add(s);
            fill(s, s.selector.namespace());
            return;
        }
        selectorSets.add(s);
        for (NamespaceInfo ns : namespaces.values()) {
            if (s.selector.matchesNamespace(ns)) {
                selectorSetsByNs.computeIfAbsent(ns.name(), k -> new LinkedHashSet<>()).add(s);
                fill(s, ns.name());
            }
        }
    }

    private void fill(AddressSet s, String namespace) {
        NamespaceInfo ns = namespaces.get(namespace);
        for (PodInfo p : podsByNs.getOrDefault(namespace, Map.of()).values()) {
            if (!p.ips().isEmpty() && s.selector.matches(p, ns)) {
                s.members.put(p.key(), member(p));
            }
        }
    }

    private void release(AddressSelector selector, String policyKey) {
        AddressSet s = sets.get(selector.canonical());
        if (s == null || !s.referencedBy.remove(policyKey) || !s.referencedBy.isEmpty()) {
            return;
        }
        sets.remove(selector.canonical());
        if (selector.namespace() != null) {
            Set<AddressSet> inNs = exactSetsByNs.get(selector.namespace());
            inNs.remove(s);
            if (inNs.isEmpty()) {
                exactSetsByNs.remove(selector.namespace());
            }
        } else {
            selectorSets.remove(s);
            selectorSetsByNs.values().forEach(v -> v.remove(s));
            selectorSetsByNs.values().removeIf(Set::isEmpty);
        }
        dirtySets.remove(s);
        removedSets.add(s.id);
    }

    /** For tests: which policies reference a set. */
    Set<String> referencesOf(String setId) {
        return sets.values().stream().filter(s -> s.id.equals(setId)).findFirst()
                .map(s -> Set.copyOf(new HashSet<>(s.referencedBy))).orElse(Set.of());
    }
}
