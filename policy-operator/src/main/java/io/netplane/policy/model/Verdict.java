package io.netplane.policy.model;

/** A connection is allowed only when the client's egress and the server's ingress both allow it. */
public record Verdict(boolean allowed, DirectionVerdict egress, DirectionVerdict ingress) {
    public static Verdict of(DirectionVerdict egress, DirectionVerdict ingress) {
        return new Verdict(egress.allowed() && ingress.allowed(), egress, ingress);
    }
}
