package io.netplane.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One Netplane service run as a real process from its packaged Quarkus application
 * ({@code <module>/target/quarkus-app/quarkus-run.jar}), configured with system properties, and considered
 * started when its readiness endpoint answers 200. End-to-end tests use it to run several services at once.
 */
public final class QuarkusApp implements AutoCloseable {
    private final String module;
    private final Process process;
    private final Path log;
    private final int httpPort;

    private QuarkusApp(String module, Process process, Path log, int httpPort) {
        this.module = module;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * Starts {@code module} (a directory beside the calling module) and waits up to {@code readyTimeout} for
     * {@code /q/health/ready}.
     */
    public static QuarkusApp start(String module, Map<String, String> config, Duration readyTimeout) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: package " + module + " first (./mvnw package)");
        }
        try {
            int port = FreePorts.next();
            Path log = Files.createTempFile("netplane-" + module + "-", ".log");
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
            new TreeMap<>(config).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(jar.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            QuarkusApp app = new QuarkusApp(module, p, log, port);
            app.awaitReady(readyTimeout);
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return log;
    }

    /** GET a path of the application's HTTP server; returns status and body. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failure("exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<String> r = get("/q/health/ready");
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted");
            }
            sleep(250);
        }
        close();
        throw failure("not ready after " + timeout + " (last readiness answer: " + last + ")");
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(module + " " + what + "; log " + log + ":\n" + logTail());
    }

    /** The last lines of the process log. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
