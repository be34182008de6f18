package io.netplane.dns.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.forward.ResponseCache;
import io.netplane.dns.forward.UpstreamSelector;
import io.netplane.dns.records.ZoneRecords;
import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * The real listeners on 127.0.0.1 with an ephemeral port, around a zone the test sets, for tests that speak DNS
 * over real sockets without Quarkus or Kafka.
 */
final class WireHarness implements AutoCloseable {
    final AtomicReference<ZoneRecords> zone = new AtomicReference<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DnsMetrics metrics = new DnsMetrics(registry);
    private final Vertx vertx = Vertx.vertx();
    private final DnsListeners listeners;
    final Forwarder forwarder;
    final int port;

    WireHarness(ZoneRecords initial) throws Exception {
        this(initial, Map.of(), List.of(), List.of("127.0.0.0/8"), 0);
    }

    WireHarness(ZoneRecords initial, Map<String, List<String>> stubs, List<String> upstreams, List<String> allowed,
            int ratePerClient) throws Exception {
        this(initial, stubs, upstreams, allowed, ratePerClient, 64, Duration.ofSeconds(5));
    }

    WireHarness(ZoneRecords initial, Map<String, List<String>> stubs, List<String> upstreams, List<String> allowed,
            int ratePerClient, int tcpMaxConnections, Duration tcpIdle) throws Exception {
        zone.set(initial);
        forwarder = new Forwarder(UpstreamSelector.of(stubs, upstreams), new ResponseCache(1000, 3600),
                Duration.ofMillis(500), System::nanoTime);
        QueryHandler handler = new QueryHandler(Name.fromConstantString("cluster.local."), zone::get, forwarder,
                ClientAllowList.parse(allowed), metrics, 1232);
        listeners = new DnsListeners(vertx, handler, new ClientRateLimiter(ratePerClient), metrics,
                new DnsListeners.Options("127.0.0.1", 0, 2, tcpMaxConnections, tcpIdle));
        port = listeners.bind();
    }

    Message query(String name, int type, boolean tcp) throws Exception {
        return send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)), tcp);
    }

    Message send(Message query, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        resolver.setTCP(tcp);
        resolver.setIgnoreTruncation(true);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver.send(query);
    }

    /** Sends raw bytes over UDP from {@code from} and returns the reply, or null when none comes within the timeout. */
    byte[] raw(byte[] packet, String from, Duration timeout) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
            s.setSoTimeout((int) timeout.toMillis());
            s.send(new DatagramPacket(packet, packet.length, InetAddress.getByName("127.0.0.1"), port));
            byte[] buf = new byte[65535];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            try {
                s.receive(reply);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return Arrays.copyOf(buf, reply.getLength());
        }
    }

    double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() throws Exception {
        listeners.close();
        forwarder.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
