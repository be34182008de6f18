package io.netplane.ingress.compile;

import java.time.Instant;

/**
 * An IngressClass cut down to what class resolution needs.
 *
 * @param isDefault the {@code ingressclass.kubernetes.io/is-default-class} annotation is {@code "true"}
 */
public record IngressClassInput(String name, String controller, boolean isDefault, Instant createdAt) {
}
