package io.netplane.ingress.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads Secrets from a directory laid out like mounted Secret volumes: {@code <root>/<namespace>/<name>/tls.crt}
 * and {@code tls.key}. Used by tests and by deployments that sync Secrets to disk.
 */
public final class DirectoryCertificateSource implements CertificateSource {
    private final Path root;

    public DirectoryCertificateSource(Path root) {
        this.root = root;
    }

    @Override
    public Optional<PemPair> load(SecretRef ref) throws Exception {
        Path dir = root.resolve(ref.namespace()).resolve(ref.name());
        Path crt = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) {
            return Optional.empty();
        }
        return Optional.of(new PemPair(ref, Files.readAllBytes(crt), Files.readAllBytes(key)));
    }
}
