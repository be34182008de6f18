package io.netplane.ingress.routing;

/**
 * The path a request is matched by: the request target without query or fragment, with percent-encoded
 * unreserved characters decoded (RFC 3986 6.2.2.2; {@code %2F} stays encoded, so it never splits an element)
 * and dot segments removed. The request is forwarded with its original target; this form is only matched.
 */
public final class RequestPath {
    private RequestPath() {
    }

    /** Normalises {@code target}; throws {@link IllegalArgumentException} for a target that is not a path. */
    public static String normalize(String target) {
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("empty request target");
        }
        String path = target;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("request target is not an absolute path");
        }
        return removeDotSegments(decodeUnreserved(path));
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    private static String decodeUnreserved(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                throw new IllegalArgumentException("invalid percent-encoding in request path");
            }
            char decoded = (char) (hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2)));
            if (isUnreserved(decoded)) {
                out.append(decoded);
            } else {
                out.append('%').append(Character.toUpperCase(path.charAt(i + 1)))
                        .append(Character.toUpperCase(path.charAt(i + 2)));
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** RFC 3986 5.2.4 for an absolute path: "." elements vanish, ".." removes the previous element. */
    private static String removeDotSegments(String path) {
        if (!path.contains(".")) {
            return path;
        }
        String[] parts = path.split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        boolean trailingSlash = false;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals(".")) {
                trailingSlash = last;
            } else if (part.equals("..")) {
                out.pollLast();
                trailingSlash = last;
            } else {
                out.addLast(part);
                trailingSlash = false;
            }
        }
        String joined = "/" + String.join("/", out);
        return trailingSlash && !joined.endsWith("/") ? joined + "/" : joined;
    }
}
