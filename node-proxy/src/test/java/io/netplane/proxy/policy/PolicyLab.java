package io.netplane.proxy.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A routed one-node "cluster" in network namespaces with unique names: a node namespace that forwards, and one
 * namespace per Pod or outside host on its own veth pair (Pod k has 10.241.k.2, the node side 10.241.k.1). Each
 * Pod runs a TCP+UDP server on ports 80 and 81 answering its name. Everything is removed on {@link #close()}.
 */
final class PolicyLab implements AutoCloseable {
    private static final String SERVER = """
            import socket, sys, threading
            name = sys.argv[1]
            def tcp(port):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("0.0.0.0", port)); s.listen(64)
                while True:
                    c, a = s.accept()
                    try: c.sendall(name.encode())
                    finally: c.close()
            def udp(port):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("0.0.0.0", port))
                while True:
                    d, a = s.recvfrom(512); s.sendto(name.encode(), a)
            for p in (80, 81):
                threading.Thread(target=tcp, args=(p,), daemon=True).start()
                threading.Thread(target=udp, args=(p,), daemon=True).start()
            print("ready", flush=True)
            threading.Event().wait()
            """;
    private static final String CLIENT = """
            import socket, sys
            proto, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
            try:
                if proto == "tcp":
                    s = socket.create_connection((host, port), timeout=1.0); print(s.recv(64).decode() or "EMPTY")
                else:
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1.0)
                    s.sendto(b"hi", (host, port)); print(s.recvfrom(64)[0].decode())
            except socket.timeout:
                print("TIMEOUT")
            except ConnectionRefusedError:
                print("REFUSED")
            except OSError as e:
                print("ERROR " + str(e))
            """;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String node = "npp-n-" + suffix;
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private Path dir;

    static String unavailableReason() {
        for (String tool : List.of("ip", "nft", "python3")) {
            if (!onPath(tool)) {
                return "'" + tool + "' is not installed";
            }
        }
        return "root".equals(System.getProperty("user.name")) ? null : "network namespaces need root";
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    PolicyLab start() throws IOException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        dir = Files.createTempDirectory("policy-lab-");
        Files.writeString(dir.resolve("server.py"), SERVER);
        Files.writeString(dir.resolve("client.py"), CLIENT);
        addNs(node);
        sh(node, "sysctl -qw net.ipv4.ip_forward=1");
        sh(node, "ip link set lo up");
        return this;
    }

    /** Adds a Pod (with its server) or an outside host at index k (1..200); returns its address. */
    String host(String name, int k, boolean server) throws IOException {
        String ns = "npp-" + k + "-" + suffix;
        String gw = "10.241." + k + ".1";
        String ip = "10.241." + k + ".2";
        addNs(ns);
        sh(node, "ip link add vp" + k + suffix + " type veth peer name eth0 netns " + ns);
        sh(node, "ip addr add " + gw + "/24 dev vp" + k + suffix);
        sh(node, "ip link set vp" + k + suffix + " up");
        sh(ns, "ip link set lo up");
        sh(ns, "ip addr add " + ip + "/24 dev eth0");
        sh(ns, "ip link set eth0 up");
        sh(ns, "ip route add default via " + gw);
        hosts.put(name, ns);
        if (server) {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, "python3", dir.resolve("server.py").toString(), name)
                    .redirectErrorStream(true).start();
            servers.add(p);
            String line = new String(p.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
            if (!line.startsWith("ready")) {
                throw new IOException(name + " server did not start: " + line);
            }
        }
        return ip;
    }

    /** One attempt from host {@code from}: the server's name when answered, else TIMEOUT/REFUSED/ERROR. */
    String connect(String from, String proto, String ip, int port) throws IOException {
        return run(List.of("ip", "netns", "exec", hosts.get(from), "python3", dir.resolve("client.py").toString(),
                proto, ip, Integer.toString(port)), null, 20).trim();
    }

    /** Applies an nft script in the node namespace as one transaction. */
    void nft(String script) throws IOException {
        run(List.of("ip", "netns", "exec", node, "nft", "-f", "-"), script, 30);
    }

    /**
     * Applies an nft script like {@link #nft}, measured by {@code /usr/bin/time} when it is installed (it sees nft
     * itself: {@code ip netns exec} execs it): "elapsed, max RSS" of nft, or the elapsed time alone.
     */
    String nftMeasured(String script) throws IOException {
        long t0 = System.nanoTime();
        if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
            run(List.of("ip", "netns", "exec", node, "nft", "-f", "-"), script, 120);
            return String.format("%.2f s", (System.nanoTime() - t0) / 1e9);
        }
        String out = run(List.of("/usr/bin/time", "-f", "%e s, nft max RSS %M kB", "ip", "netns", "exec", node, "nft", "-f", "-"),
                script, 120);
        return out.strip().lines().reduce((a, b) -> b).orElse("");
    }

    /** The elements of one set of the policy table. */
    int setSize(String set) throws IOException {
        String out = run(List.of("ip", "netns", "exec", node, "nft", "list", "set", "inet", PolicyNames.TABLE, set), null, 60);
        int start = out.indexOf("elements = {");
        return start < 0 ? 0 : out.substring(start).split(",").length;
    }

    String listRuleset() throws IOException {
        return run(List.of("ip", "netns", "exec", node, "nft", "list", "ruleset"), null, 30);
    }

    private void addNs(String ns) throws IOException {
        run(List.of("ip", "netns", "add", ns), null, 10);
        namespaces.add(ns);
    }

    private void sh(String ns, String cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd.split(" ")));
        run(c, null, 30);
    }

    private static String run(List<String> cmd, String stdin, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try (InputStream out = p.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + text + (stdin == null ? "" : "\nscript:\n" + stdin));
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public synchronized void close() {
        servers.forEach(Process::destroyForcibly);
        servers.clear();
        for (String ns : namespaces) {
            try {
                run(List.of("ip", "netns", "del", ns), null, 10);
            } catch (IOException e) {
                // already gone
            }
        }
        namespaces.clear();
    }
}
