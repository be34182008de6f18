package io.netplane.ipam.access;

/**
 * The API server gave no answer to a review (unreachable, timed out, or refused ipam-service itself): neither an
 * authentication nor an authorization failure of the caller. The message never contains the token.
 */
public final class ReviewUnavailable extends Exception {
    public ReviewUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
