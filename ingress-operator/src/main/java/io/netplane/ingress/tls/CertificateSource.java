package io.netplane.ingress.tls;

import java.util.Optional;

/**
 * Where the gateway reads TLS Secrets from (never from Kafka). Implementations block; callers run them off
 * the event loop.
 */
public interface CertificateSource {

    /** The Secret's PEM pair, or empty when it does not exist or lacks {@code tls.crt}/{@code tls.key}. */
    Optional<PemPair> load(SecretRef ref) throws Exception;
}
