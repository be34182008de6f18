package io.netplane.ipam.access;

import java.util.Collections;
import java.util.List;

/**
 * Decides whether one REST API write may go ahead: the {@code Authorization: Bearer} token is authenticated with a
 * TokenReview, then the user (with groups, uid and extra) is checked for the {@link Permission} with a
 * SubjectAccessReview. Nothing is written before this says yes; an API server that cannot be asked is a 503, never a
 * 401 or 403, so a client can tell "try again" from "you may not".
 */
public final class AccessDecider {
    /** The realm of the {@code WWW-Authenticate} challenge. */
    public static final String REALM = "netplane-ipam";
    static final String CHALLENGE = "Bearer realm=\"" + REALM + "\"";
    static final String INVALID_TOKEN = CHALLENGE + ", error=\"invalid_token\"";

    private final Reviews reviews;
    private final List<String> audiences;

    private AccessDecider(Reviews reviews, List<String> audiences) {
        this.reviews = reviews;
        this.audiences = List.copyOf(audiences);
    }

    /** Everyone may write ({@code netplane.ipam.api.auth=none}: local development only). */
    public static AccessDecider open() {
        return new AccessDecider(null, List.of());
    }

    /**
     * Writes need a token the API server authenticates, for one of {@code audiences} when any are given, and a user
     * it authorizes.
     */
    public static AccessDecider reviewedBy(Reviews reviews, List<String> audiences) {
        return new AccessDecider(reviews, audiences);
    }

    /** Whether writes are open to anyone. */
    public boolean isOpen() {
        return reviews == null;
    }

    public AccessDecision decide(String authorization, Permission permission) {
        if (reviews == null) {
            return AccessDecision.allow(Identity.UNAUTHENTICATED);
        }
        if (authorization == null || authorization.isBlank()) {
            return AccessDecision.unauthorized(CHALLENGE, "this request needs an \"Authorization: Bearer <token>\" "
                    + "header with a token the Kubernetes API server accepts (e.g. from kubectl create token)");
        }
        String token = bearerToken(authorization);
        if (token == null) {
            return AccessDecision.unauthorized(INVALID_TOKEN, "the Authorization header is not \"Bearer <token>\"");
        }
        TokenStatus who;
        try {
            who = reviews.authenticate(token, audiences);
        } catch (ReviewUnavailable e) {
            return AccessDecision.unavailable(null, "cannot authenticate the request now (" + e.getMessage()
                    + "); nothing was changed, try again");
        }
        if (!who.authenticated() || who.user() == null || who.user().username().isEmpty()) {
            return AccessDecision.unauthorized(INVALID_TOKEN, "the Kubernetes API server did not authenticate the "
                    + "bearer token" + (who.error().isEmpty() ? "" : ": " + who.error()));
        }
        if (!audiences.isEmpty() && Collections.disjoint(audiences, who.audiences())) {
            return AccessDecision.unauthorized(INVALID_TOKEN, "the bearer token is not valid for the audience"
                    + (audiences.size() == 1 ? " " : "s ") + String.join(", ", audiences));
        }
        AccessStatus may;
        try {
            may = reviews.authorize(who.user(), permission);
        } catch (ReviewUnavailable e) {
            return AccessDecision.unavailable(who.user(), "cannot authorize user \"" + who.user().username()
                    + "\" now (" + e.getMessage() + "); nothing was changed, try again");
        }
        if (!may.allowed()) {
            return AccessDecision.forbidden(who.user(), forbidden(who.user(), permission, may.reason()));
        }
        return AccessDecision.allow(who.user());
    }

    /** The token of {@code Bearer <token>} (scheme case-insensitive, RFC 7235), or null when it is not that. */
    static String bearerToken(String authorization) {
        String[] parts = authorization.strip().split(" +");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            return null;
        }
        String token = parts[1];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return null;
            }
        }
        return token;
    }

    /** As kube-apiserver words a forbidden request, plus the pool (the resource name) when there is one. */
    static String forbidden(Identity user, Permission p, String reason) {
        return "User \"" + user.username() + "\" cannot " + p.verb() + " resource \"" + p.rbacResource()
                + "\" in API group \"" + p.group() + "\"" + (p.name().isEmpty() ? "" : " (pool \"" + p.name() + "\")")
                + " at the cluster scope" + (reason.isEmpty() ? "" : ": " + reason);
    }
}
