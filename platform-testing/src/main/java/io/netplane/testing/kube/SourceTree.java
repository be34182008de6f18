package io.netplane.testing.kube;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the Netplane checkout a test runs in, by walking up from the working directory. */
public final class SourceTree {
    static final String BUILD_SCRIPT = "hack/control-plane/build.sh";
    static final String CRD_DIR = "k8s/crds";

    private SourceTree() {
    }

    /** The nearest directory at or above {@code user.dir} that holds {@value #BUILD_SCRIPT}. */
    public static Optional<Path> root() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(BUILD_SCRIPT))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
