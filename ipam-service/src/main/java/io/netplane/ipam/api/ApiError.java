package io.netplane.ipam.api;

/** The body of every 4xx: which field was wrong and why. */
public record ApiError(int status, String field, String message) {
}
