package io.netplane.ipam.access;

/**
 * A SubjectAccessReview's answer, cut down to what the decision needs.
 *
 * @param allowed whether the user may do it
 * @param reason the authorizer's reason (RBAC leaves it empty on a denial; may be empty)
 */
public record AccessStatus(boolean allowed, String reason) {
    public AccessStatus {
        reason = reason == null ? "" : reason;
    }

    public static AccessStatus allow() {
        return new AccessStatus(true, "");
    }

    public static AccessStatus deny(String reason) {
        return new AccessStatus(false, reason);
    }
}
