package io.netplane.it.faults;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the fault suite does on the host: commands, and signals to the processes of a Pod's container. */
final class Host {
    private Host() {
    }

    /** Runs a command, returns its output (stdout and stderr); fails on a non-zero exit when {@code check}. */
    static String run(List<String> command, long timeoutSeconds, boolean check) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            byte[][] out = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took over " + timeoutSeconds + " s");
            }
            reader.join();
            String text = new String(out[0], StandardCharsets.UTF_8);
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The java processes of the Pod's (first) container, found by the container id in their cgroup. */
    static List<Long> javaPids(Pod pod) {
        ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
        String id = status.getContainerID() == null ? "" : status.getContainerID().replaceFirst("^[a-z]+://", "");
        if (id.isEmpty()) {
            throw new IllegalStateException(pod.getMetadata().getName() + " has no running container");
        }
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(proc.resolve("cgroup")).contains(id)
                            && Files.readString(proc.resolve("comm")).strip().equals("java")) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the process ended while listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pids.isEmpty()) {
            throw new IllegalStateException("no java process in container " + id + " of " + pod.getMetadata().getName());
        }
        return pids;
    }

    static void signal(List<Long> pids, String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        run(command, 10, true);
    }

    /** {@code hack/cluster.sh ARGS} from the checkout, with the test's environment (NETPLANE_STATE). */
    static void cluster(Path repo, String... args) {
        List<String> command = new ArrayList<>(List.of(repo.resolve("hack/cluster.sh").toString()));
        command.addAll(List.of(args));
        run(command, 300, true);
    }

    /** {@code ip netns exec NS ARGS}. */
    static String inNode(String netns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        command.addAll(List.of(args));
        return run(command, 60, true);
    }
}
