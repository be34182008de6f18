package io.netplane.dns.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The UDP and TCP listeners. TCP runs on the Vert.x event loops Quarkus already has (framing, idle timeouts and
 * writes of forwarded answers without blocking); UDP is {@link UdpListener}'s SO_REUSEPORT sockets. Both bind the
 * same port; with port 0 the TCP listener picks a free port and the UDP sockets take the same number. TCP carries length-prefixed messages (RFC 1035 4.2.2),
 * several per connection (RFC 7766), with an idle timeout and a connection cap. Every packet passes the
 * per-client rate limiter before it costs any parsing.
 */
public final class DnsListeners implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsListeners.class);

    /** Listener limits. */
    public record Options(String host, int port, int udpSockets, int tcpMaxConnections, Duration tcpIdleTimeout) {
    }

    private final Vertx vertx;
    private final QueryHandler handler;
    private final ClientRateLimiter limiter;
    private final DnsMetrics metrics;
    private final Options options;
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private UdpListener udp;
    private NetServer tcp;
    private volatile int port = -1;

    public DnsListeners(Vertx vertx, QueryHandler handler, ClientRateLimiter limiter, DnsMetrics metrics,
            Options options) {
        this.vertx = vertx;
        this.handler = handler;
        this.limiter = limiter;
        this.metrics = metrics;
        this.options = options;
    }

    /** Binds both listeners (blocking, at most a few seconds); returns the bound port. */
    public int bind() throws Exception {
        String host = options.host();
        for (int attempt = 0;; attempt++) {
            NetServer server = vertx.createNetServer(new NetServerOptions()
                    .setIdleTimeout((int) options.tcpIdleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                    .setTcpNoDelay(true));
            server.connectHandler(this::onConnection);
            server = server.listen(options.port(), host).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            UdpListener listener = new UdpListener(handler, limiter, metrics);
            try {
                listener.bind(host, server.actualPort(), Math.max(1, options.udpSockets()));
                udp = listener;
                tcp = server;
                port = server.actualPort();
                return port;
            } catch (IOException e) {
                server.close();
                if (options.port() != 0 || attempt >= 10) {
                    throw e;
                }
                // the free TCP port is taken for UDP: try another pair
            }
        }
    }

    /** The port both listeners are bound to; -1 before binding. */
    public int port() {
        return port;
    }

    private void onConnection(NetSocket socket) {
        if (tcpConnections.incrementAndGet() > options.tcpMaxConnections()) {
            tcpConnections.decrementAndGet();
            metrics.dropped("tcp-connections");
            socket.close();
            return;
        }
        socket.closeHandler(v -> tcpConnections.decrementAndGet());
        socket.exceptionHandler(e -> socket.close());
        InetAddress client = address(socket.remoteAddress().host());
        RecordParser parser = RecordParser.newFixed(2);
        boolean[] readingLength = {true};
        parser.handler(buf -> {
            if (readingLength[0]) {
                int length = buf.getUnsignedShort(0);
                if (length == 0) {
                    socket.close();
                    return;
                }
                parser.fixedSizeMode(length);
                readingLength[0] = false;
                return;
            }
            parser.fixedSizeMode(2);
            readingLength[0] = true;
            if (client == null || !limiter.admit(client, System.nanoTime())) {
                metrics.dropped("rate-limited");
                return;
            }
            handler.handle(buf.getBytes(), client, true).whenComplete((wire, err) -> {
                if (wire != null) {
                    socket.write(Buffer.buffer(wire.length + 2).appendUnsignedShort(wire.length).appendBytes(wire));
                } else if (err != null) {
                    LOG.warnf(err, "TCP query from %s failed", client);
                }
            });
        });
        socket.handler(parser);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal from the socket: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }
}
