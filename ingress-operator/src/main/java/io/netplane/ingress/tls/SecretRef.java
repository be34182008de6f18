package io.netplane.ingress.tls;

/** A TLS Secret by namespace and name; parses {@code namespace/name}. */
public record SecretRef(String namespace, String name) {

    public static SecretRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("want namespace/name, got \"" + text + "\"");
        }
        return new SecretRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
