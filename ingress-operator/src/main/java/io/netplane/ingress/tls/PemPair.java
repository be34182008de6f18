package io.netplane.ingress.tls;

/** The {@code tls.crt} (certificate chain) and {@code tls.key} of a Secret, PEM-encoded. */
public record PemPair(SecretRef ref, byte[] certificate, byte[] key) {

    /** Equality of content, so an unchanged Secret does not trigger a reload. */
    public boolean sameContent(PemPair other) {
        return other != null && java.util.Arrays.equals(certificate, other.certificate)
                && java.util.Arrays.equals(key, other.key);
    }
}
