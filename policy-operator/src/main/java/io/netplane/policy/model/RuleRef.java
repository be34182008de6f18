package io.netplane.policy.model;

/** A rule of a policy: {@code <namespace>/<name>} and its position in the ingress or egress list. */
public record RuleRef(String policy, Direction direction, int index) {
    @Override
    public String toString() {
        return policy + " " + direction.name().toLowerCase() + "[" + index + "]";
    }
}
