package io.netplane.policy.model;

import java.util.Collection;

/** The narrow read-only view of the cluster the evaluator needs; tests fake it with maps. */
public interface ClusterView {
    /** The namespace, or {@code null} when unknown. */
    NamespaceInfo namespace(String name);

    /** The checked policies of a namespace (empty when none). */
    Collection<CheckedPolicy> policiesIn(String namespace);
}
