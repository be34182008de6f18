package io.netplane.testing.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netplane.testing.process.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A running etcd + kube-apiserver pair on free loopback ports, with its data, certificates, logs and kubeconfig in a
 * work directory that {@link #close()} deletes. The admin credential is a static bearer token in group
 * {@code system:masters}; the serving certificate is the one kube-apiserver generates for itself, and the kubeconfig
 * trusts exactly that certificate. No controller-manager runs: no namespace finalization, garbage collection or
 * service-account token controller, and the ServiceAccount admission plugin is off so Pods can be created.
 */
public final class KubeApiServer implements AutoCloseable {
    private static final Duration ETCD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration API_SERVER_TIMEOUT = Duration.ofSeconds(120);
    private static final String SERVICE_CIDR = "10.96.0.0/16";
    private static final int ATTEMPTS = 3;

    private final Path workDir;
    private final LocalProcess etcd;
    private final LocalProcess apiServer;
    private final int port;
    private final String token;
    private final Path caCert;
    private final Path kubeconfig;

    private KubeApiServer(Path workDir, LocalProcess etcd, LocalProcess apiServer, int port, String token) {
        this.workDir = workDir;
        this.etcd = etcd;
        this.apiServer = apiServer;
        this.port = port;
        this.token = token;
        this.caCert = workDir.resolve("pki/apiserver.crt");
        this.kubeconfig = workDir.resolve("kubeconfig");
    }

    /** Starts a new control plane with the binaries of {@link ControlPlaneBinaries#locate()} in a temporary directory. */
    public static KubeApiServer start() {
        try {
            return start(ControlPlaneBinaries.locate(), Files.createTempDirectory("netplane-kube-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KubeApiServer start(ControlPlaneBinaries binaries, Path workDir) {
        try {
            Files.createDirectories(workDir.resolve("pki"));
            String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            Files.writeString(workDir.resolve("tokens.csv"), token + ",netplane-admin,netplane-admin,\"system:masters\"\n");
            writeServiceAccountKeys(workDir.resolve("pki"));
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    return startProcesses(binaries, workDir.resolve("attempt-" + attempt), workDir, token);
                } catch (PortTaken e) {
                    last = e.getCause();
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://127.0.0.1:<port>} */
    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** Bearer token of a cluster admin ({@code system:masters}). */
    public String token() {
        return token;
    }

    /** PEM file with the serving certificate and the CA that signed it. */
    public Path caCertFile() {
        return caCert;
    }

    /** A kubeconfig with the cluster, the admin token and the CA, context {@code netplane}. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A client configuration that ignores the environment ({@code ~/.kube/config}, {@code KUBECONFIG}). */
    public Config clientConfig() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withOauthToken(token)
                .withCaCertFile(caCert.toString())
                .withNamespace("default")
                .build();
    }

    /** A new client; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(clientConfig()).build();
    }

    /**
     * Configuration that points quarkus-kubernetes-client (and so the Quarkus Operator SDK) at this server, with
     * {@code namespace} as the client's default namespace.
     */
    public Map<String, String> quarkusConfig(String namespace) {
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", url(),
                "quarkus.kubernetes-client.token", token,
                "quarkus.kubernetes-client.ca-cert-file", caCert.toString(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", namespace,
                "quarkus.kubernetes-client.devservices.enabled", "false");
    }

    @Override
    public void close() {
        apiServer.close();
        etcd.close();
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test run for
        }
    }

    private static KubeApiServer startProcesses(ControlPlaneBinaries binaries, Path runDir, Path workDir, String token)
            throws IOException {
        Files.createDirectories(runDir);
        int etcdPort = FreePorts.next();
        int peerPort = FreePorts.next();
        int apiPort = FreePorts.next();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        String peerUrl = "http://127.0.0.1:" + peerPort;
        LocalProcess etcd = LocalProcess.start(binaries.etcd(), List.of(
                "--name", "netplane", "--data-dir", runDir.resolve("etcd").toString(),
                "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "netplane=" + peerUrl,
                "--unsafe-no-fsync=true"), runDir.resolve("etcd.log"));
        LocalProcess apiServer = null;
        try {
            awaitHttp(etcd, "/health", ETCD_TIMEOUT, () -> get(HttpClient.newHttpClient(), etcdUrl + "/health", null));
            Path pki = workDir.resolve("pki");
            Files.deleteIfExists(pki.resolve("apiserver.crt"));
            Files.deleteIfExists(pki.resolve("apiserver.key"));
            apiServer = LocalProcess.start(binaries.kubeApiServer(), List.of(
                    "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
                    "--secure-port", Integer.toString(apiPort), "--cert-dir", pki.toString(),
                    "--etcd-servers", etcdUrl,
                    "--token-auth-file", workDir.resolve("tokens.csv").toString(),
                    "--authorization-mode", "RBAC",
                    "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file", pki.resolve("sa.pub").toString(),
                    "--service-account-signing-key-file", pki.resolve("sa.key").toString(),
                    "--service-cluster-ip-range", SERVICE_CIDR,
                    "--disable-admission-plugins", "ServiceAccount",
                    "--allow-privileged=true",
                    // a loopback advertise address is refused unless the kubernetes Service gets no endpoints
                    "--endpoint-reconciler-type", "none"), runDir.resolve("kube-apiserver.log"));
            KubeApiServer server = new KubeApiServer(workDir, etcd, apiServer, apiPort, token);
            server.awaitReady();
            server.writeKubeconfig();
            return server;
        } catch (RuntimeException | IOException e) {
            boolean portTaken = apiServer != null && apiServer.logTail().contains("address already in use")
                    || etcd.logTail().contains("address already in use");
            if (apiServer != null) {
                apiServer.close();
            }
            etcd.close();
            if (portTaken && e instanceof IllegalStateException ise) {
                throw new PortTaken(ise);
            }
            throw e;
        }
    }

    private void awaitReady() throws IOException {
        awaitHttp(apiServer, "its serving certificate", API_SERVER_TIMEOUT, () -> Files.size(caCert) > 0);
        HttpClient https = https();
        awaitHttp(apiServer, "/readyz", API_SERVER_TIMEOUT, () -> get(https, url() + "/readyz", token));
        // the bootstrap controller creates "default" shortly after /readyz turns green
        awaitHttp(apiServer, "namespace default", API_SERVER_TIMEOUT,
                () -> get(https, url() + "/api/v1/namespaces/default", token));
    }

    private void writeKubeconfig() throws IOException {
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caCert));
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: netplane
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: netplane-admin
                  user:
                    token: %s
                contexts:
                - name: netplane
                  context:
                    cluster: netplane
                    user: netplane-admin
                    namespace: default
                current-context: netplane
                """.formatted(url(), ca, token));
    }

    private HttpClient https() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            try (var in = Files.newInputStream(caCert)) {
                for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("cert-" + i++, cert);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust " + caCert, e);
        }
    }

    private static boolean get(HttpClient http, String url, String token) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private interface Probe {
        boolean ok() throws IOException;
    }

    private static void awaitHttp(LocalProcess process, String what, Duration timeout, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw process.failure("stopped before " + what + " was ready");
            }
            try {
                if (probe.ok()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw process.failure("interrupted while waiting for " + what);
            }
        }
        throw process.failure("not ready (" + what + ") after " + timeout.toSeconds() + "s");
    }

    private static void writeServiceAccountKeys(Path pki) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(pki.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(pki.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** A process lost the race for a port that {@link FreePorts#next()} handed out; start again with new ports. */
    private static final class PortTaken extends RuntimeException {
        PortTaken(IllegalStateException cause) {
            super(cause);
        }

        @Override
        public synchronized IllegalStateException getCause() {
            return (IllegalStateException) super.getCause();
        }
    }
}
