package io.netplane.ingress.routing;

/**
 * Ingress host matching: an exact host matches the request host (case-insensitively, as DNS names are);
 * {@code *.foo.com} matches exactly one extra leading label ({@code bar.foo.com}, not {@code foo.com} nor
 * {@code baz.bar.foo.com}); a null rule host matches any request.
 */
public final class HostMatcher {
    private HostMatcher() {
    }

    public static boolean matches(String ruleHost, String requestHost) {
        if (ruleHost == null) {
            return true;
        }
        if (requestHost == null) {
            return false;
        }
        String rule = ruleHost.toLowerCase(java.util.Locale.ROOT);
        String host = requestHost.toLowerCase(java.util.Locale.ROOT);
        if (!rule.startsWith("*.")) {
            return rule.equals(host);
        }
        String key = wildcardKey(host);
        return key != null && key.equals(rule);
    }

    /** The only wildcard that can match {@code host}: {@code *.} plus all labels but the first; null if none. */
    public static String wildcardKey(String host) {
        int dot = host.indexOf('.');
        if (dot <= 0 || dot == host.length() - 1) {
            return null;
        }
        return "*" + host.substring(dot);
    }
}
