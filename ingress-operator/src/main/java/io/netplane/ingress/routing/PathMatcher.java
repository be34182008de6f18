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

    /** Compares element by element in place: this runs for every request against every Prefix rule of its host. */
    private static boolean prefixMatches(String rulePath, String requestPath) {
        int r = 0;
        int q = 0;
        while (true) {
            r = skipSlashes(rulePath, r);
            q = skipSlashes(requestPath, q);
            if (r == rulePath.length()) {
                return true; // every rule element matched
            }
            if (q == requestPath.length()) {
                return false; // the request has fewer elements than the rule
            }
            int ruleEnd = nextSlash(rulePath, r);
            int requestEnd = nextSlash(requestPath, q);
            if (ruleEnd - r != requestEnd - q || !rulePath.regionMatches(r, requestPath, q, ruleEnd - r)) {
                return false;
            }
            r = ruleEnd;
            q = requestEnd;
        }
    }

    private static int skipSlashes(String path, int from) {
        while (from < path.length() && path.charAt(from) == '/') {
            from++;
        }
        return from;
    }

    private static int nextSlash(String path, int from) {
        int slash = path.indexOf('/', from);
        return slash < 0 ? path.length() : slash;
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
