package io.netplane.ingress.gateway;

import io.netplane.ingress.endpoints.Endpoint;
import io.netplane.ingress.routing.Backend;
import io.netplane.ingress.routing.Match;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handles one gateway request: guard (400), route (404 without a default backend), pick a ready endpoint
 * round-robin (503 when there is none), connect with retry on the next endpoints when connecting fails (502
 * when all attempts fail), stream the request and response bodies (504 when the backend stays silent past the
 * response timeout). WebSocket upgrades are handed to {@link WebSocketRelay}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

    private final GatewayState state;
    private final HttpClient client;
    private final WebSocketRelay webSockets;
    private final GatewaySettings settings;
    private final AccessLog accessLog;
    private final String scheme;
    /** Round-robin positions, shared by the handlers of all event loops so the rotation is one per backend. */
    private final Map<Backend, AtomicInteger> cursors;
    /** Connections answered with 400: requests pipelined behind the bad one are not served. */
    private final Set<HttpConnection> rejected = ConcurrentHashMap.newKeySet();

    private final RequestObserver observer;

    ProxyHandler(GatewayState state, HttpClient client, WebSocketRelay webSockets, GatewaySettings settings,
            boolean tls, RequestObserver observer, Map<Backend, AtomicInteger> cursors) {
        this.cursors = cursors;
        this.observer = observer;
        this.state = state;
        this.client = client;
        this.webSockets = webSockets;
        this.settings = settings;
        this.accessLog = new AccessLog(settings.accessLog());
        this.scheme = tls ? "https" : "http";
    }

    /** What the access log line needs once the response is done. */
    final class Exchange {
        final HttpServerRequest req;
        final long start = System.nanoTime();
        String host;
        io.netplane.ingress.endpoints.Endpoint upstream;
        Match.Routed routed;

        Exchange(HttpServerRequest req) {
            this.req = req;
        }

        void fail(int status, String reason) {
            HttpServerResponse resp = req.response();
            if (resp.headWritten()) {
                closeOrReset();
                return;
            }
            resp.setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8");
            req.resume();
            if (status == 400 && req.version() != HttpVersion.HTTP_2) {
                // whatever follows a request we could not frame or trust is not read as another request
                HttpConnection connection = req.connection();
                if (rejected.add(connection)) {
                    connection.closeHandler(v -> rejected.remove(connection));
                }
                resp.putHeader("connection", "close");
                resp.end(reason + "\n").onComplete(v -> connection.close());
                return;
            }
            resp.end(reason + "\n");
        }

        void closeOrReset() {
            if (req.version() == HttpVersion.HTTP_2) {
                req.response().reset();
            } else {
                req.connection().close();
            }
        }
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (!rejected.isEmpty() && rejected.contains(req.connection())) {
            req.connection().close();
            return;
        }
        req.pause();
        Exchange ex = new Exchange(req);
        req.response().endHandler(v -> {
            observer.completed(req.response().getStatusCode(), System.nanoTime() - ex.start);
            if (accessLog.enabled()) { // the line's fields are strings made per request: only when logging
                accessLog.log(String.valueOf(req.remoteAddress()), req.method().name(), req.uri(), version(req),
                        req.response().getStatusCode(), req.response().bytesWritten(), ex.start, ex.host,
                        ex.upstream == null ? null : ex.upstream.hostPort(), routeName(ex.routed));
            }
        });
        RequestGuard.Accepted accepted;
        try {
            accepted = RequestGuard.check(req.version() == HttpVersion.HTTP_1_0, hosts(req), headerBytes(req),
                    settings.maxHeaderBytes(), req.headers().contains(StrictRequestDecoder.MARKER)
                            || (req.headers().contains("content-length") && req.headers().contains("transfer-encoding")),
                    targetPath(req));
        } catch (IllegalArgumentException e) {
            ex.fail(400, "bad request: " + e.getMessage());
            return;
        }
        ex.host = accepted.host() == null ? null : accepted.host().name();
        GatewayState.Snapshot snapshot = state.get();
        Match match = snapshot.routes().lookup(ex.host, accepted.path());
        if (!(match instanceof Match.Routed routed)) {
            ex.fail(404, "no route for host " + (ex.host == null ? "(none)" : ex.host) + " path " + accepted.path());
            return;
        }
        Backend backend = routed.backend();
        ex.routed = routed;
        List<Endpoint> endpoints = snapshot.endpoints().ready(backend);
        if (endpoints.isEmpty()) {
            ex.fail(503, "no ready endpoints for service " + backend.describe());
            return;
        }
        List<Endpoint> order = rotation(backend, endpoints);
        if (webSockets.isUpgrade(req)) {
            webSockets.relay(ex, order, outboundHeaders(req));
            return;
        }
        attempt(ex, order, 0, null);
    }

    private List<Endpoint> rotation(Backend backend, List<Endpoint> endpoints) {
        if (endpoints.size() == 1) {
            return endpoints; // nothing to rotate, and the cursor's shared counter is not touched
        }
        int first = Math.floorMod(cursors.computeIfAbsent(backend, b -> new AtomicInteger()).getAndIncrement(),
                endpoints.size());
        int attempts = Math.min(Math.max(1, settings.connectAttempts()), endpoints.size());
        List<Endpoint> order = new ArrayList<>(attempts);
        for (int i = 0; i < attempts; i++) {
            order.add(endpoints.get((first + i) % endpoints.size()));
        }
        return order;
    }

    MultiMap outboundHeaders(HttpServerRequest req) {
        String host = req.version() == HttpVersion.HTTP_2 ? req.host() : req.getHeader("host");
        return ForwardedHeaders.forRequest(req.headers(), req.remoteAddress().hostAddress(), scheme, host,
                req.localAddress().port());
    }

    private void attempt(Exchange ex, List<Endpoint> order, int index, Throwable lastFailure) {
        if (index >= order.size()) {
            ex.fail(502, "could not connect to any endpoint (" + order.size() + " tried): "
                    + (lastFailure == null ? "unknown error" : lastFailure.getMessage()));
            return;
        }
        Endpoint endpoint = order.get(index);
        HttpServerRequest req = ex.req;
        RequestOptions options = new RequestOptions()
                .setMethod(req.method())
                .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.address()))
                .setHost(endpoint.address())
                .setPort(endpoint.port())
                .setURI(requestUri(req))
                .setHeaders(outboundHeaders(req))
                .setConnectTimeout(settings.connectTimeout().toMillis())
                .setIdleTimeout(settings.responseTimeout().toMillis());
        client.request(options).onComplete(ar -> {
            if (ar.failed()) {
                attempt(ex, order, index + 1, ar.cause());
                return;
            }
            ex.upstream = endpoint;
            forward(ex, ar.result());
        });
    }

    private void forward(Exchange ex, HttpClientRequest out) {
        HttpServerRequest req = ex.req;
        var sent = hasBody(req) ? out.send(req) : resumeAndSend(req, out);
        sent.onComplete(ar -> {
            if (ar.failed()) {
                boolean timeout = ar.cause() instanceof TimeoutException;
                ex.fail(timeout ? 504 : 502, (timeout ? "backend timed out: " : "backend failed: ")
                        + ar.cause().getMessage());
                return;
            }
            respond(ex, ar.result());
        });
    }

    private static io.vertx.core.Future<HttpClientResponse> resumeAndSend(HttpServerRequest req, HttpClientRequest out) {
        req.resume();
        return out.send();
    }

    private void respond(Exchange ex, HttpClientResponse in) {
        HttpServerResponse resp = ex.req.response();
        resp.setStatusCode(in.statusCode());
        if (ex.req.version() != HttpVersion.HTTP_2 && in.statusMessage() != null) {
            resp.setStatusMessage(in.statusMessage());
        }
        ForwardedHeaders.copyEndToEnd(in.headers(), resp.headers());
        boolean keepsLength = resp.headers().contains("content-length");
        if (!keepsLength && ex.req.version() == HttpVersion.HTTP_1_1 && ex.req.method() != HttpMethod.HEAD) {
            resp.setChunked(true);
        }
        in.exceptionHandler(err -> ex.closeOrReset());
        resp.send(in).onFailure(err -> ex.closeOrReset());
    }

    private static boolean hasBody(HttpServerRequest req) {
        MultiMap h = req.headers();
        if (h.contains("transfer-encoding")) {
            return true;
        }
        String length = h.get("content-length");
        if (length != null) {
            return !length.trim().equals("0");
        }
        if (req.version() == HttpVersion.HTTP_2) {
            HttpMethod m = req.method();
            return !(m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.DELETE);
        }
        return false;
    }

    private static List<String> hosts(HttpServerRequest req) {
        if (req.version() == HttpVersion.HTTP_2) {
            String authority = req.host();
            return authority == null ? List.of() : List.of(authority);
        }
        return req.headers().getAll("host");
    }

    private static int headerBytes(HttpServerRequest req) {
        int total = req.method().name().length() + req.uri().length() + 12;
        for (var e : req.headers()) {
            total += e.getKey().length() + e.getValue().length() + 4;
        }
        return total;
    }

    /** The path-and-query to match and forward; absolute-form targets are cut to their path. */
    static String targetPath(HttpServerRequest req) {
        String uri = req.uri();
        if (uri.startsWith("/")) {
            return uri;
        }
        String path = req.path();
        String query = req.query();
        return (path == null || path.isEmpty() ? uri : path) + (query == null ? "" : "?" + query);
    }

    private static String requestUri(HttpServerRequest req) {
        return targetPath(req);
    }

    private static String routeName(Match.Routed routed) {
        return routed == null ? null : routed.origin() == null ? "default" : routed.origin().key();
    }

    private static String version(HttpServerRequest req) {
        return switch (req.version()) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_1_1 -> "HTTP/1.1";
            case HTTP_2 -> "HTTP/2";
        };
    }
}
