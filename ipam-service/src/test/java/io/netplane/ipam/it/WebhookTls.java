package io.netplane.ipam.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Serves the app over HTTPS on a free loopback port with a self-signed certificate for 127.0.0.1 (made by openssl),
 * so the real kube-apiserver can call the admission webhook; {@link #caBundle()} is what the webhook configuration
 * trusts.
 */
public class WebhookTls implements QuarkusTestResourceLifecycleManager {
    static volatile Path cert;
    static volatile int port;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("ipam-webhook-tls");
            cert = dir.resolve("tls.crt");
            Path key = dir.resolve("tls.key");
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                    "-subj", "/CN=ipam-service", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl failed: " + out);
            }
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            return Map.of(
                    "quarkus.http.ssl.certificate.files", cert.toString(),
                    "quarkus.http.ssl.certificate.key-files", key.toString(),
                    "quarkus.http.test-ssl-port", Integer.toString(port),
                    "quarkus.http.host", "127.0.0.1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String caBundle() throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(cert));
    }

    @Override
    public void stop() {
    }
}
