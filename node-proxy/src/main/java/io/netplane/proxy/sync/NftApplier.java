package io.netplane.proxy.sync;

import io.netplane.proxy.nft.NetlinkScript;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs {@code nft -f -} (inside {@code ip netns exec <ns>} when a namespace is configured) with a script on
 * standard input. nft applies a script as one transaction, so a failure changes nothing.
 *
 * <p>With a netlink helper ({@link #withNetlink}), a script {@link NetlinkScript} can encode (a change of
 * elements, endpoint rules and chains) goes to the kernel as one netlink batch instead; should the kernel refuse
 * it, the script goes to nft as before, whose answer decides (and whose error message is the one reported).
 */
public class NftApplier {
    private static final Logger LOG = Logger.getLogger(NftApplier.class);

    private final List<String> command;
    private final Optional<String> netns;
    private NetlinkWriter netlink;
    private long netlinkBatches;

    public NftApplier(String nft, Optional<String> netns) {
        List<String> c = new ArrayList<>();
        netns.ifPresent(ns -> c.addAll(List.of("ip", "netns", "exec", ns)));
        c.add(nft);
        this.command = List.copyOf(c);
        this.netns = netns;
    }

    /**
     * Sends what it can encode through {@code helper} (the netplane-nl binary); an empty path, or a helper
     * that is not there, leaves every script to nft.
     */
    public NftApplier withNetlink(String helper) {
        if (helper.isEmpty()) {
            return this;
        }
        java.nio.file.Path path = java.nio.file.Path.of(helper);
        if (!java.nio.file.Files.isExecutable(path)) {
            LOG.infof("no netlink helper at %s: every change goes through nft", helper);
            return this;
        }
        netlink = new NetlinkWriter(helper, netns);
        return this;
    }

    public synchronized void apply(String script) throws NftException {
        if (netlink != null) {
            NetlinkScript.Batch batch = NetlinkScript.encode(script, netlink.nextSeq());
            if (batch != null) {
                String refused = netlink.send(batch);
                if (refused == null) {
                    netlinkBatches++;
                    return;
                }
                run(script, "-f", "-");
                // nft took what failed as a batch: the helper died, or the encoding differs from nft's (a bug)
                LOG.warnf("a netlink batch failed (%s); nft applied the same script", refused);
                return;
            }
        }
        run(script, "-f", "-");
    }

    /** Scripts applied as netlink batches, without nft. */
    public synchronized long netlinkBatches() {
        return netlinkBatches;
    }

    /** {@code nft list table ...}: the table as the kernel holds it. */
    public String list(String familyAndTable) throws NftException {
        return run("", "list", "table", familyAndTable.split(" ")[0], familyAndTable.split(" ")[1]);
    }

    /**
     * Whether the table exists, by listing one small chain every table of this proxy has ({@code nft list
     * tables} reads the whole ruleset into nft's cache: seconds and hundreds of MB at 10,000 Services).
     */
    public boolean hasTable(String family, String table) {
        try {
            run("", "list", "chain", family, table, "filter-input");
            return true;
        } catch (NftException e) {
            return false;
        }
    }

    private String run(String stdin, String... args) throws NftException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // nft exited early; its output says why
            }
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NftException(String.join(" ", cmd) + " timed out");
            }
            String out = output.join();
            if (p.exitValue() != 0) {
                throw new NftException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + firstLines(out));
            }
            return out;
        } catch (IOException e) {
            throw new NftException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted");
        }
    }

    private static String firstLines(String s) {
        return s.lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    /** nft refused a script or could not be run; nothing was changed. */
    public static final class NftException extends Exception {
        public NftException(String message) {
            super(message);
        }
    }
}
