package io.netplane.dns.server;

import io.netplane.dns.config.DnsConfig;
import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.forward.ResponseCache;
import io.netplane.dns.forward.UpstreamSelector;
import io.netplane.dns.kafka.ZoneFeed;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The UDP and TCP listeners (Vert.x: the event loops Quarkus already runs, no extra threads, non-blocking
 * sends for forwarded answers). Both bind the same port; with port 0 the TCP listener picks a free port and the
 * UDP listener takes the same number. TCP carries length-prefixed messages (RFC 1035 4.2.2), several per
 * connection, with an idle timeout and a connection cap.
 */
@ApplicationScoped
public class DnsServer {
    private static final Logger LOG = Logger.getLogger(DnsServer.class);

    private final Vertx vertx;
    private final DnsConfig config;
    private final ZoneFeed feed;
    private final DnsMetrics metrics;
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private volatile int boundPort = -1;
    private QueryHandler handler;
    private ClientRateLimiter limiter;
    private DatagramSocket udp;
    private NetServer tcp;

    public DnsServer(Vertx vertx, DnsConfig config, ZoneFeed feed, DnsMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.feed = feed;
        this.metrics = metrics;
    }

    void start(@Observes @Priority(20) StartupEvent event) throws Exception {
        Forwarder forwarder = new Forwarder(
                UpstreamSelector.of(config.stubDomains(), upstreams()),
                new ResponseCache(config.cacheSize(), config.cacheMaxTtl()), config.forwardTimeout(), System::nanoTime);
        handler = new QueryHandler(ZoneFeed.settings(config).origin(), feed::current, forwarder,
                ClientAllowList.parse(config.allowedClients()), metrics, config.maxUdpPayload());
        limiter = new ClientRateLimiter(config.clientRateLimit());
        bind();
        LOG.infof("DNS listening on %s port %d (UDP and TCP), zone %s", config.bindAddress(), boundPort, config.zone());
    }

    void stop(@Observes ShutdownEvent event) {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }

    /** The port both listeners are bound to; -1 before binding. */
    public int port() {
        return boundPort;
    }

    public boolean isListening() {
        return boundPort > 0;
    }

    private void bind() throws Exception {
        String host = config.bindAddress();
        for (int attempt = 0; ; attempt++) {
            NetServer server = vertx.createNetServer(new NetServerOptions().setIdleTimeout((int) config.tcpIdleTimeout()
                    .toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setTcpNoDelay(true));
            server.connectHandler(this::onConnection);
            server = server.listen(config.port(), host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
                    .setIpV6(host.contains(":")).setReceiveBufferSize(4 << 20).setSendBufferSize(4 << 20));
            socket.handler(this::onDatagram);
            try {
                udp = socket.listen(server.actualPort(), host).toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                tcp = server;
                boundPort = server.actualPort();
                return;
            } catch (Exception e) {
                server.close();
                socket.close();
                if (config.port() != 0 || attempt >= 10) {
                    throw e;
                }
                // the free TCP port was taken for UDP: try another pair
            }
        }
    }

    private void onDatagram(DatagramPacket packet) {
        InetAddress client = address(packet.sender().host());
        if (client == null || !limiter.admit(client, System.nanoTime())) {
            metrics.dropped("rate-limited");
            return;
        }
        byte[] bytes = packet.data().getBytes();
        int port = packet.sender().port();
        String host = packet.sender().host();
        handler.handle(bytes, client, false).whenComplete((wire, err) -> {
            if (err != null) {
                LOG.warnf(err, "query from %s failed", host);
            } else if (wire != null) {
                udp.send(Buffer.buffer(wire), port, host);
            }
        });
    }

    private void onConnection(NetSocket socket) {
        if (tcpConnections.incrementAndGet() > config.tcpMaxConnections()) {
            tcpConnections.decrementAndGet();
            metrics.dropped("tcp-connections");
            socket.close();
            return;
        }
        socket.closeHandler(v -> tcpConnections.decrementAndGet());
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
        socket.exceptionHandler(e -> socket.close());
    }

    private List<String> upstreams() {
        List<String> configured = config.upstreams().orElse(List.of());
        if (!configured.isEmpty()) {
            return configured;
        }
        try {
            return UpstreamSelector.nameservers(Files.readString(Path.of(config.resolvConf())));
        } catch (IOException e) {
            LOG.warnf("no upstreams configured and %s unreadable (%s): names outside the zone get REFUSED",
                    config.resolvConf(), e.getMessage());
            return List.of();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal from the socket: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
