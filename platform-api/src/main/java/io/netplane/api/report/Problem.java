package io.netplane.api.report;

import java.util.Objects;

/**
 * Something a user should see on an object, recorded as a Kubernetes Event: a {@link Type#Warning} for what the
 * user must fix (bad input left out, a write that keeps failing), a {@link Type#Normal} for what they should see
 * happen. Planners return these; the shell records them.
 *
 * @param reason short UpperCamelCase, as Kubernetes Events have it ({@code InvalidPodIP})
 */
public record Problem(Type type, String reason, String message) {
    public enum Type { Normal, Warning }

    public Problem {
        Objects.requireNonNull(type, "type");
        if (reason == null || reason.isBlank() || !Character.isUpperCase(reason.charAt(0)) || reason.contains(" ")) {
            throw new IllegalArgumentException("an Event reason is one UpperCamelCase word, not '" + reason + "'");
        }
        Objects.requireNonNull(message, "message");
    }

    public static Problem warning(String reason, String message) {
        return new Problem(Type.Warning, reason, message);
    }

    public static Problem normal(String reason, String message) {
        return new Problem(Type.Normal, reason, message);
    }
}
