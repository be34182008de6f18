package io.netplane.policy.model;

/** The two directions a policy may isolate. */
public enum Direction {
    Ingress, Egress
}
