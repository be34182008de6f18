/** Pure NetworkPolicy semantics: cut-down Pods/Namespaces/policies, validation, and the connection evaluator. */
package io.netplane.policy.model;
