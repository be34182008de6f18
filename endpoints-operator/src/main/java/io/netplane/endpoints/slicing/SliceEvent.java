package io.netplane.endpoints.slicing;

import io.netplane.api.report.Problem;

/**
 * A {@link Problem} a plan found, and the object it is on: bad input that left an endpoint out, or a topology-hint
 * decision a user must see. The shell records it as a Kubernetes Event on that object.
 *
 * @param kind the object's kind ({@code Service} or {@code Endpoints}; core/v1)
 */
public record SliceEvent(Problem problem, String kind, String namespace, String name) {
    public static SliceEvent warning(String reason, String message, String kind, String namespace, String name) {
        return new SliceEvent(Problem.warning(reason, message), kind, namespace, name);
    }
}
