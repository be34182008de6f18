package io.netplane.ipam.access;

/**
 * The answer to one write: allowed (200), 401 (no, malformed or unrecognised token), 403 (authenticated, not
 * allowed) or 503 (the API server could not be asked).
 *
 * @param status 200 when allowed, else the HTTP status to refuse with
 * @param message why it was refused, for the caller (never the token); empty when allowed
 * @param challenge the {@code WWW-Authenticate} value of a 401, else null
 * @param user who the caller is, when known (null before authentication)
 */
public record AccessDecision(int status, String message, String challenge, Identity user) {
    public static final int ALLOWED = 200;

    static AccessDecision allow(Identity user) {
        return new AccessDecision(ALLOWED, "", null, user);
    }

    static AccessDecision unauthorized(String challenge, String message) {
        return new AccessDecision(401, message, challenge, null);
    }

    static AccessDecision forbidden(Identity user, String message) {
        return new AccessDecision(403, message, null, user);
    }

    static AccessDecision unavailable(Identity user, String message) {
        return new AccessDecision(503, message, null, user);
    }

    public boolean allowed() {
        return status == ALLOWED;
    }
}
