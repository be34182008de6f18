package io.netplane.ingress.gateway;

import io.netplane.ingress.endpoints.Endpoint;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Proxies a WebSocket upgrade: opens the WebSocket to the backend first (trying the next endpoint when
 * connecting fails; a refused handshake is answered with the backend's status), then accepts the client's
 * handshake and relays text, binary and close frames both ways. Pings are answered on each hop.
 */
final class WebSocketRelay {

    private final WebSocketClient client;
    private final GatewaySettings settings;

    WebSocketRelay(WebSocketClient client, GatewaySettings settings) {
        this.client = client;
        this.settings = settings;
    }

    boolean isUpgrade(HttpServerRequest req) {
        String upgrade = req.getHeader("upgrade");
        return req.version() != HttpVersion.HTTP_2 && upgrade != null
                && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    void relay(ProxyHandler.Exchange ex, List<Endpoint> order, MultiMap headers) {
        connect(ex, order, 0, headers, null);
    }

    private void connect(ProxyHandler.Exchange ex, List<Endpoint> order, int index, MultiMap headers, Throwable last) {
        if (index >= order.size()) {
            ex.fail(502, "could not open a WebSocket to any endpoint: " + (last == null ? "unknown" : last.getMessage()));
            return;
        }
        Endpoint endpoint = order.get(index);
        MultiMap outbound = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(e -> {
            if (!e.getKey().toLowerCase(Locale.ROOT).startsWith("sec-websocket-")) {
                outbound.add(e.getKey(), e.getValue());
            }
        });
        WebSocketConnectOptions options = new WebSocketConnectOptions();
        options.setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.address()));
        options.setHost(endpoint.address()).setPort(endpoint.port()).setURI(ProxyHandler.targetPath(ex.req));
        options.setHeaders(outbound);
        options.setConnectTimeout(settings.connectTimeout().toMillis());
        client.connect(options).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof UpgradeRejectedException rejected) {
                    ex.upstream = endpoint;
                    ex.fail(rejected.getStatus(), "backend refused the WebSocket upgrade");
                } else {
                    connect(ex, order, index + 1, headers, ar.cause());
                }
                return;
            }
            ex.upstream = endpoint;
            WebSocket backend = ar.result();
            ex.req.resume();
            ex.req.toWebSocket().onComplete(accepted -> {
                if (accepted.failed()) {
                    backend.close();
                    return;
                }
                pipe(accepted.result(), backend);
            });
        });
    }

    private static void pipe(ServerWebSocket front, WebSocket back) {
        front.textMessageHandler(back::writeTextMessage);
        front.binaryMessageHandler(back::writeBinaryMessage);
        back.textMessageHandler(front::writeTextMessage);
        back.binaryMessageHandler(front::writeBinaryMessage);
        front.closeHandler(v -> {
            if (!back.isClosed()) {
                back.close(front.closeStatusCode() == null ? 1000 : front.closeStatusCode(), front.closeReason());
            }
        });
        back.closeHandler(v -> {
            if (!front.isClosed()) {
                front.close(back.closeStatusCode() == null ? 1000 : back.closeStatusCode(), back.closeReason());
            }
        });
        front.exceptionHandler(err -> back.close());
        back.exceptionHandler(err -> front.close());
    }
}
