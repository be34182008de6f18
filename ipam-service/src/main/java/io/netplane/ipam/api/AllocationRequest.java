package io.netplane.ipam.api;

/**
 * An allocation request from a consumer outside Kubernetes.
 *
 * @param requestKey the caller's idempotency key: the same key always gets the same allocation back
 * @param pool a pool name from {@code GET /api/v1/pools}
 * @param value a specific value to reserve, or null for any free one
 */
public record AllocationRequest(String requestKey, String pool, String value) {
}
