package io.netplane.dns.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * UDP on plain NIO: several sockets bound to the same port with SO_REUSEPORT, each drained by its own thread.
 * The kernel spreads clients across the sockets by their address and port, so answering uses every core and one
 * client's flood fills one socket's queue rather than all of them; in each thread the per-client rate limiter
 * drops excess packets before any parsing. (Vert.x's datagram socket is a single socket on a single event loop.)
 */
final class UdpListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UdpListener.class);

    private final QueryHandler handler;
    private final ClientRateLimiter limiter;
    private final DnsMetrics metrics;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private volatile boolean running = true;

    UdpListener(QueryHandler handler, ClientRateLimiter limiter, DnsMetrics metrics) {
        this.handler = handler;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /** Binds {@code sockets} sockets on host:port (port must be concrete) and starts their threads. */
    void bind(String host, int port, int sockets) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        for (int i = 0; i < sockets; i++) {
            DatagramChannel ch = DatagramChannel.open(address.getAddress().length == 4 ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6);
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            try {
                ch.bind(new InetSocketAddress(address, port));
            } catch (IOException e) {
                ch.close();
                close();
                throw e;
            }
            channels.add(ch);
            Thread t = new Thread(() -> serve(ch), "dns-udp-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(DatagramChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (running) {
            try {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) ch.receive(buf);
                if (from == null) {
                    continue;
                }
                if (!limiter.admit(from.getAddress(), System.nanoTime())) {
                    metrics.dropped("rate-limited");
                    continue;
                }
                byte[] packet = Arrays.copyOf(buf.array(), buf.position());
                handler.handle(packet, from.getAddress(), false).whenComplete((wire, err) -> {
                    if (wire != null) {
                        send(ch, wire, from);
                    } else if (err != null) {
                        LOG.warnf(err, "query from %s failed", from);
                    }
                });
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debugf("UDP receive: %s", e.toString());
            }
        }
    }

    private static void send(DatagramChannel ch, byte[] wire, InetSocketAddress to) {
        try {
            ch.send(ByteBuffer.wrap(wire), to);
        } catch (IOException e) {
            LOG.debugf("UDP send to %s: %s", to, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
