package io.netplane.ingress.routing;

/**
 * Kubernetes Ingress path matching. Exact compares the whole path, case-sensitively. Prefix compares
 * path elements (split by {@code /}, empty elements ignored), so {@code /aaa/bbb} matches {@code /aaa/bbb/cc}
 * and {@code /aaa/bbb/} but not {@code /aaa/bbbxyz}, and a trailing slash on either side does not matter.
 */
public final class PathMatcher {
    private PathMatcher() {
    }

    public static boolean matches(PathType type, String rulePath, String requestPath) {
        return switch (type) {
            case EXACT -> rulePath.equals(requestPath);
            case PREFIX -> prefixMatches(rulePath, requestPath);
        };
    }

    private static boolean prefixMatches(String rulePath, String requestPath) {
        String[] rule = elements(rulePath);
        String[] request = elements(requestPath);
        if (rule.length > request.length) {
            return false;
        }
        for (int i = 0; i < rule.length; i++) {
            if (!rule[i].equals(request[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The form a rule path ranks and conflicts by: for Prefix its elements joined by single slashes (so
     * {@code /foo} and {@code /foo/} are one path); Exact paths as written.
     */
    public static String canonical(PathType type, String rulePath) {
        return type == PathType.PREFIX ? "/" + String.join("/", elements(rulePath)) : rulePath;
    }

    static String[] elements(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(e -> !e.isEmpty()).toArray(String[]::new);
    }
}
