package io.netplane.endpoints.slicing;

/**
 * A Kubernetes Event the plan asks the shell to record: bad input that left an endpoint out, or a topology-hint
 * decision a user must see.
 *
 * @param type {@code Normal} or {@code Warning}
 * @param kind the involved object's kind ({@code Service} or {@code Pod})
 */
public record SliceEvent(String type, String reason, String message, String kind, String namespace, String name) {
    public static SliceEvent warning(String reason, String message, String kind, String namespace, String name) {
        return new SliceEvent("Warning", reason, message, kind, namespace, name);
    }
}
