package io.netplane.ipam.access;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A user as the API server authenticated it ({@code TokenReview status.user}), carried unchanged into the
 * SubjectAccessReview so that group and extra-based grants apply as they do in the API server.
 */
public record Identity(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
    public Identity {
        username = username == null ? "" : username;
        uid = uid == null ? "" : uid;
        groups = groups == null ? List.of() : List.copyOf(groups);
        TreeMap<String, List<String>> copy = new TreeMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> copy.put(k, v == null ? List.of() : List.copyOf(v)));
        }
        extra = Map.copyOf(copy);
    }

    /** The caller when authentication is off ({@code netplane.ipam.api.auth=none}). */
    public static final Identity UNAUTHENTICATED = new Identity("system:anonymous", "",
            List.of("system:unauthenticated"), Map.of());
}
