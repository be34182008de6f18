package io.netplane.ingress.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Writes self-signed certificates as Secret-shaped directories ({@code tls.crt}, {@code tls.key}) with openssl. */
public final class TestCertificates {
    private TestCertificates() {
    }

    public static void write(Path root, String namespace, String secret, String commonName, String... dnsNames) throws Exception {
        Path dir = Files.createDirectories(root.resolve(namespace).resolve(secret));
        String san = "subjectAltName=" + String.join(",", java.util.Arrays.stream(dnsNames).map(n -> "DNS:" + n).toList());
        Path key = dir.resolve("tls.key.new");
        Path crt = dir.resolve("tls.crt.new");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", crt.toString(), "-days", "2",
                "-subj", "/CN=" + commonName, "-addext", san)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + output);
        }
        // replace both files the way a Secret volume update does: the new pair appears at once
        Files.move(key, dir.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(crt, dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static void writeGarbage(Path root, String namespace, String secret) throws Exception {
        Path dir = Files.createDirectories(root.resolve(namespace).resolve(secret));
        Files.writeString(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("tls.key"), "garbage");
    }
}
