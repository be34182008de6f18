package io.netplane.proxy.userspace;

import io.netplane.proxy.balance.BackendPicker;
import io.netplane.proxy.model.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One TCP listener: accepts, connects to a backend (next candidate on failure), then pipes both ways. */
final class TcpProxy implements UserspaceDataplane.Proxy {
    private final Listener listener;
    private final BackendPicker picker;
    private final NetClient client;
    private NetServer server;

    private TcpProxy(Listener listener, BackendPicker picker, NetClient client) {
        this.listener = listener;
        this.picker = picker;
        this.client = client;
    }

    static TcpProxy start(Vertx vertx, NetClient client, Listener l, BackendPicker picker) throws Exception {
        TcpProxy p = new TcpProxy(l, picker, client);
        p.server = vertx.createNetServer().connectHandler(p::accept)
                .listen(l.port(), l.host()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return p;
    }

    private void accept(NetSocket front) {
        front.pause();
        String clientIp = front.remoteAddress().host();
        List<Endpoint> candidates;
        synchronized (picker) {
            candidates = picker.candidates(clientIp, Instant.now());
        }
        connect(front, clientIp, candidates, 0);
    }

    private void connect(NetSocket front, String clientIp, List<Endpoint> candidates, int i) {
        if (i >= candidates.size()) {
            front.close();
            return;
        }
        Endpoint e = candidates.get(i);
        client.connect(e.port(), e.ip()).onSuccess(back -> {
            synchronized (picker) {
                picker.connected(clientIp, e, Instant.now());
            }
            front.pipeTo(back);
            back.pipeTo(front);
        }).onFailure(err -> connect(front, clientIp, candidates, i + 1));
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
        if (server != null) {
            server.close();
        }
    }
}
