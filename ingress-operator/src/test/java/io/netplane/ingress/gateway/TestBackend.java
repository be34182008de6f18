package io.netplane.ingress.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 + WebSocket server on 127.0.0.1 that says who it is: the body is {@code <id> <uri>} (or, for
 * POST, {@code <id> echo:<body>}); request headers come back as {@code x-seen-<name>}. {@code /slow} never
 * answers; WebSocket text messages are echoed as {@code <id>:<text>}.
 */
final class TestBackend implements AutoCloseable {
    final String id;
    final AtomicInteger hits = new AtomicInteger();
    private final HttpServer server;

    TestBackend(Vertx vertx, String id) throws Exception {
        this.id = id;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        server.webSocketHandler(ws -> {
            hits.incrementAndGet();
            ws.textMessageHandler(text -> ws.writeTextMessage(id + ":" + text));
        });
        server.requestHandler(req -> {
            hits.incrementAndGet();
            if (req.path().equals("/slow")) {
                return;
            }
            req.headers().forEach(h -> req.response().headers().add("x-seen-" + h.getKey().toLowerCase(), h.getValue()));
            req.response().putHeader("x-backend", id);
            if (req.method().name().equals("POST")) {
                req.body().onSuccess(body -> req.response().end(id + " echo:" + body));
            } else {
                req.response().end(Buffer.buffer(id + " " + req.uri()));
            }
        });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
