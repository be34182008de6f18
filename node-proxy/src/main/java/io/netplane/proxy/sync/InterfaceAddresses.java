package io.netplane.proxy.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The addresses on this node's interfaces ({@code ip -o addr show}, inside {@code ip netns exec <ns>} when a namespace
 * is configured), which {@code nodeport-addresses} CIDRs select from, as kube-proxy does. Read at every sync that
 * needs them; an unreadable list is empty and logged.
 */
final class InterfaceAddresses implements Supplier<List<String>> {
    private static final Logger LOG = Logger.getLogger(InterfaceAddresses.class);
    private final List<String> command;

    InterfaceAddresses(Optional<String> netns) {
        List<String> c = new ArrayList<>();
        netns.ifPresent(ns -> c.addAll(List.of("ip", "netns", "exec", ns)));
        c.addAll(List.of("ip", "-o", "addr", "show"));
        this.command = List.copyOf(c);
    }

    @Override
    public List<String> get() {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                LOG.warnf("%s failed: %s", String.join(" ", command), out.lines().findFirst().orElse(""));
                return List.of();
            }
            return parse(out);
        } catch (IOException e) {
            LOG.warnf("cannot run %s: %s", String.join(" ", command), e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The addresses of {@code ip -o addr show} lines ({@code ... inet 192.0.2.1/24 ...}, {@code inet6 ...}). */
    static List<String> parse(String output) {
        List<String> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("inet") || words[i].equals("inet6")) {
                    String addr = words[i + 1];
                    out.add(addr.contains("/") ? addr.substring(0, addr.indexOf('/')) : addr);
                    break;
                }
            }
        }
        return out;
    }
}
