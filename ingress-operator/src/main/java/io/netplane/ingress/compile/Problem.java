package io.netplane.ingress.compile;

/**
 * Something in an Ingress the controller cannot serve as written; reported as a Kubernetes Event of type
 * Warning with {@code reason} and {@code message}.
 */
public record Problem(String reason, String message) {
}
