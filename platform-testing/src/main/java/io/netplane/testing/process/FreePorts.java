package io.netplane.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free loopback ports for test servers. */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port that is free for TCP now (and, in practice, for UDP). */
    public static int next() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
