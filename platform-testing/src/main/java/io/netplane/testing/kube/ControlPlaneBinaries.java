package io.netplane.testing.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The directory holding {@code etcd}, {@code kube-apiserver} and {@code kube-controller-manager}.
 * Taken from the system property {@value #BIN_PROPERTY} or the environment variable {@value #BIN_ENV} when set;
 * otherwise {@code hack/control-plane/build.sh} is run, which returns the cached build at once or builds it
 * (tens of minutes on a cold machine, with progress on stderr).
 */
public record ControlPlaneBinaries(Path dir) {
    public static final String BIN_PROPERTY = "netplane.control-plane.bin";
    public static final String BIN_ENV = "NETPLANE_CONTROL_PLANE_BIN";

    public Path etcd() {
        return dir.resolve("etcd");
    }

    public Path kubeApiServer() {
        return dir.resolve("kube-apiserver");
    }

    public Path kubeControllerManager() {
        return dir.resolve("kube-controller-manager");
    }

    public static ControlPlaneBinaries locate() {
        String configured = System.getProperty(BIN_PROPERTY, System.getenv(BIN_ENV));
        if (configured != null && !configured.isBlank()) {
            return checked(Path.of(configured), BIN_PROPERTY + "/" + BIN_ENV);
        }
        Path root = SourceTree.root().orElseThrow(() -> new IllegalStateException(
                "cannot find " + SourceTree.BUILD_SCRIPT + " above " + System.getProperty("user.dir")
                        + "; run it and set -D" + BIN_PROPERTY + "=<its output>"));
        return checked(build(root.resolve(SourceTree.BUILD_SCRIPT)), SourceTree.BUILD_SCRIPT);
    }

    private static Path build(Path script) {
        try {
            Process process = new ProcessBuilder("bash", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            if (exit != 0 || lines.isEmpty()) {
                throw new IllegalStateException(script + " failed with exit code " + exit + " (its output is above)");
            }
            return Path.of(lines.get(lines.size() - 1).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }

    private static ControlPlaneBinaries checked(Path dir, String source) {
        ControlPlaneBinaries binaries = new ControlPlaneBinaries(dir);
        for (Path binary : List.of(binaries.etcd(), binaries.kubeApiServer())) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " (from " + source + ") is missing; run "
                        + SourceTree.BUILD_SCRIPT);
            }
        }
        return binaries;
    }
}
