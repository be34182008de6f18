package io.netplane.policy.server;

import io.netplane.policy.model.DirectionVerdict;
import io.netplane.policy.model.Verdict;
import java.util.List;

/** The answer to "can A reach B on port/protocol": the verdict and, per direction, what decided it. */
public record ExplainResponse(String from, String to, int port, String protocol, boolean allowed,
        DirectionResponse egress, DirectionResponse ingress) {

    static ExplainResponse of(String from, String to, int port, String protocol, Verdict v) {
        return new ExplainResponse(from, to, port, protocol, v.allowed(), DirectionResponse.of(v.egress()),
                DirectionResponse.of(v.ingress()));
    }

    /** One direction: whether the Pod on that side is isolated, by which policies, and the allowing rules. */
    public record DirectionResponse(String direction, boolean applicable, boolean isolated, boolean allowed,
            List<String> isolatingPolicies, List<String> allowedBy, String reason) {

        static DirectionResponse of(DirectionVerdict d) {
            return new DirectionResponse(d.direction().name(), d.applicable(), d.isolated(), d.allowed(),
                    d.isolatingPolicies(), d.allowedBy().stream().map(Object::toString).toList(), d.reason());
        }
    }
}
