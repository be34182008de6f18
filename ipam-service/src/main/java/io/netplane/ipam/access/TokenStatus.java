package io.netplane.ipam.access;

import java.util.List;

/**
 * A TokenReview's answer, cut down to what the decision needs.
 *
 * @param authenticated whether the API server recognised the token
 * @param user who it belongs to (null when not authenticated)
 * @param audiences the audiences the token is valid for among those asked for (empty: the API server's own)
 * @param error why it was not authenticated, as the API server says it (may be empty)
 */
public record TokenStatus(boolean authenticated, Identity user, List<String> audiences, String error) {
    public TokenStatus {
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        error = error == null ? "" : error;
    }

    public static TokenStatus of(Identity user, List<String> audiences) {
        return new TokenStatus(true, user, audiences, "");
    }

    public static TokenStatus rejected(String error) {
        return new TokenStatus(false, null, List.of(), error);
    }
}
