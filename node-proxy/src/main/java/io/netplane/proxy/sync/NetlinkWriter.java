package io.netplane.proxy.sync;

import io.netplane.proxy.nft.NetlinkScript;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends {@link NetlinkScript} batches to the kernel through {@code netplane-nl} (src/main/c), one long-lived
 * process (inside {@code ip netns exec <ns>} when a namespace is configured), so a change costs neither an nft
 * start nor nft's cache of every chain. Not thread-safe: {@link NftApplier} serialises its callers.
 */
final class NetlinkWriter implements AutoCloseable {
    private final List<String> command;
    private Process process;
    private OutputStream in;
    private DataInputStream out;
    private int seq = 1;

    NetlinkWriter(String helper, Optional<String> netns) {
        List<String> c = new ArrayList<>();
        netns.ifPresent(ns -> c.addAll(List.of("ip", "netns", "exec", ns)));
        c.add(helper);
        this.command = List.copyOf(c);
    }

    /** The sequence number the next batch should begin at. */
    int nextSeq() {
        return seq;
    }

    /**
     * Sends the batch; null when the kernel applied it, else why not (then nothing of it was applied: a batch is
     * one transaction). A helper that died is started again on the next call.
     */
    String send(NetlinkScript.Batch batch) {
        seq = batch.firstSeq() + batch.lines().size() + 2;
        try {
            if (process == null || !process.isAlive()) {
                start();
            }
            in.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(batch.bytes().length).array());
            in.write(batch.bytes());
            in.flush();
            byte[] result = new byte[8];
            out.readFully(result);
            ByteBuffer r = ByteBuffer.wrap(result).order(ByteOrder.nativeOrder());
            int errno = r.getInt();
            int failed = r.getInt();
            if (errno == 0) {
                return null;
            }
            String line = batch.line(failed);
            return "errno " + errno + (line == null ? "" : " at: " + line);
        } catch (IOException e) {
            close();
            return String.join(" ", command) + ": " + e.getMessage();
        }
    }

    private void start() throws IOException {
        close();
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = process.getOutputStream();
        InputStream stdout = process.getInputStream();
        out = new DataInputStream(stdout);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            process = null;
        }
    }
}
