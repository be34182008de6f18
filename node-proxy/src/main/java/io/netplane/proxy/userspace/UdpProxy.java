package io.netplane.proxy.userspace;

import io.netplane.proxy.balance.BackendPicker;
import io.netplane.proxy.model.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One UDP listener. Each client address gets a session: a socket of its own towards the backend chosen for
 * it, whose replies go back to the client from the listening address. Idle sessions are closed.
 */
final class UdpProxy implements UserspaceDataplane.Proxy {
    private final Vertx vertx;
    private final Listener listener;
    private final BackendPicker picker;
    private final Duration idle;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private DatagramSocket front;
    private long timer;

    private static final class Session {
        final Future<DatagramSocket> socket;
        final Endpoint backend;
        volatile Instant lastUsed;

        Session(Future<DatagramSocket> socket, Endpoint backend) {
            this.socket = socket;
            this.backend = backend;
        }
    }

    private UdpProxy(Vertx vertx, Listener listener, BackendPicker picker, Duration idle) {
        this.vertx = vertx;
        this.listener = listener;
        this.picker = picker;
        this.idle = idle;
    }

    static UdpProxy start(Vertx vertx, Listener l, BackendPicker picker, Duration idle) throws Exception {
        UdpProxy p = new UdpProxy(vertx, l, picker, idle);
        p.front = vertx.createDatagramSocket(new DatagramSocketOptions()).handler(p::receive)
                .listen(l.port(), l.host()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        p.timer = vertx.setPeriodic(Math.max(1000, idle.toMillis() / 2), t -> p.expire());
        return p;
    }

    private void receive(DatagramPacket packet) {
        SocketAddress sender = packet.sender();
        String key = sender.host() + ":" + sender.port();
        Session s = sessions.get(key);
        if (s == null || !stillServed(s.backend)) {
            s = open(sender);
            if (s == null) {
                return;
            }
            sessions.put(key, s);
        }
        s.lastUsed = Instant.now();
        Endpoint e = s.backend;
        Buffer data = packet.data();
        s.socket.onSuccess(sock -> sock.send(data, e.port(), e.ip()));
    }

    private boolean stillServed(Endpoint e) {
        synchronized (picker) {
            return picker.endpoints().contains(e);
        }
    }

    private Session open(SocketAddress sender) {
        Endpoint e;
        synchronized (picker) {
            List<Endpoint> c = picker.candidates(sender.host(), Instant.now());
            if (c.isEmpty()) {
                return null;
            }
            e = c.get(0);
            picker.connected(sender.host(), e, Instant.now());
        }
        DatagramSocket back = vertx.createDatagramSocket(new DatagramSocketOptions());
        back.handler(reply -> front.send(reply.data(), sender.port(), sender.host()));
        return new Session(back.listen(0, "0.0.0.0"), e);
    }

    private void expire() {
        Instant cutoff = Instant.now().minus(idle);
        sessions.values().removeIf(s -> {
            if (s.lastUsed.isBefore(cutoff)) {
                s.socket.onSuccess(DatagramSocket::close);
                return true;
            }
            return false;
        });
    }

    @Override
    public Listener listener() {
        return listener;
    }

    @Override
    public BackendPicker picker() {
        return picker;
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        sessions.values().forEach(s -> s.socket.onSuccess(DatagramSocket::close));
        sessions.clear();
        if (front != null) {
            front.close();
        }
    }
}
