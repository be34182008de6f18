package io.netplane.endpoints.reconciler;

import io.netplane.endpoints.slicing.SlicePod;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slice controller's Pods, each converted once per informer event to a {@link SlicePod}, kept by namespace (all
 * a reconcile reads) and by Node (for the Services a Node change affects). Written by the Pod informer's one
 * thread, read by any.
 */
final class PodIndex {
    private final Map<String, Map<String, SlicePod>> byNamespace = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> keysByNode = new ConcurrentHashMap<>();

    /** Keeps {@code pod}, replacing the entry of the same Pod; returns that entry, or null. */
    SlicePod put(SlicePod pod) {
        SlicePod[] before = new SlicePod[1];
        byNamespace.compute(pod.view().namespace(), (ns, pods) -> {
            Map<String, SlicePod> m = pods == null ? new ConcurrentHashMap<>() : pods;
            before[0] = m.put(pod.view().name(), pod);
            return m;
        });
        String oldNode = before[0] == null ? null : before[0].view().nodeName();
        if (!Objects.equals(oldNode, pod.view().nodeName())) {
            unlink(oldNode, pod.key());
        }
        if (pod.view().nodeName() != null) {
            keysByNode.computeIfAbsent(pod.view().nodeName(), n -> ConcurrentHashMap.newKeySet()).add(pod.key());
        }
        return before[0];
    }

    /** Drops the Pod; returns its entry, or null. */
    SlicePod remove(String namespace, String name) {
        SlicePod[] removed = new SlicePod[1];
        byNamespace.computeIfPresent(namespace, (ns, pods) -> {
            removed[0] = pods.remove(name);
            return pods.isEmpty() ? null : pods;
        });
        if (removed[0] != null) {
            unlink(removed[0].view().nodeName(), removed[0].key());
        }
        return removed[0];
    }

    /** The Pods of a namespace, as of now. */
    Collection<SlicePod> inNamespace(String namespace) {
        Map<String, SlicePod> pods = byNamespace.get(namespace);
        return pods == null ? List.of() : List.copyOf(pods.values());
    }

    /** The Pods on a Node, as of now. */
    List<SlicePod> onNode(String nodeName) {
        Set<String> keys = keysByNode.get(nodeName);
        if (keys == null) {
            return List.of();
        }
        return keys.stream().map(this::get).filter(Objects::nonNull).toList();
    }

    private SlicePod get(String key) {
        String[] nsName = key.split("/", 2);
        Map<String, SlicePod> pods = byNamespace.get(nsName[0]);
        return pods == null ? null : pods.get(nsName[1]);
    }

    private void unlink(String nodeName, String key) {
        if (nodeName != null) {
            keysByNode.computeIfPresent(nodeName, (n, keys) -> {
                keys.remove(key);
                return keys.isEmpty() ? null : keys;
            });
        }
    }
}
