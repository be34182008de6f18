package io.netplane.ingress.gateway;

import static io.netplane.ingress.gateway.GatewayFixture.route;
import static io.netplane.ingress.gateway.GatewayFixture.slices;
import static io.netplane.ingress.gateway.GatewayFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.ingress.routing.Backend;
import io.netplane.ingress.tls.DirectoryCertificateSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway with real clients (JDK HttpClient, raw sockets, Vert.x HTTP/2) and real backends on loopback. */
class GatewayProxyTest {

    static Vertx vertx;
    static TestBackend a;
    static TestBackend b;
    static TestBackend fallback;
    static GatewayState state;
    static GatewayServer gateway;
    static GatewayServer h2cGateway;
    static int deadPort;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        a = new TestBackend(vertx, "a");
        b = new TestBackend(vertx, "b");
        fallback = new TestBackend(vertx, "fallback");
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        state = new GatewayState(GatewayFixture.snapshot(List.of(), List.of(), null));
        gateway = new GatewayServer(vertx, GatewaySettings.loopback().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(700)),
                state, new DirectoryCertificateSource(Path.of("/nonexistent")));
        gateway.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        h2cGateway = new GatewayServer(vertx, GatewaySettings.loopback().withCleartextHttp2(true), state,
                new DirectoryCertificateSource(Path.of("/nonexistent")));
        h2cGateway.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        h2cGateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void routes() {
        List<EndpointSliceView> all = new ArrayList<>();
        all.addAll(slices("web", List.of(a.port(), b.port()), List.of(fallback.port())));
        all.addAll(slices("only-a", List.of(a.port()), List.of()));
        all.addAll(slices("flaky", List.of(deadPort, b.port()), List.of()));
        all.addAll(slices("dead", List.of(deadPort), List.of()));
        all.addAll(slices("fallback", List.of(fallback.port()), List.of()));
        state.set(snapshot(List.of(
                route("web", "shop.example", "Prefix", "/", "web"),
                route("only-a", "shop.example", "Prefix", "/a", "only-a"),
                route("exact", "*.wild.example", "Exact", "/exact", "only-a"),
                route("flaky", "flaky.example", "Prefix", "/", "flaky"),
                route("dead", "dead.example", "Prefix", "/", "dead"),
                route("empty", "empty.example", "Prefix", "/", "nobody-home")), all,
                new Backend("shop", "fallback", 80, "http")));
    }

    static HttpResponse<String> get(String host, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
                .header("X-Forwarded-For", "203.0.113.9").timeout(Duration.ofSeconds(10)).build();
        // the JDK client refuses to set Host itself; route by the Host the URL gives unless a test needs another
        return host == null ? http.send(req, HttpResponse.BodyHandlers.ofString())
                : rawRoundTrip(host, path);
    }

    /** Sends a hand-written HTTP/1.1 request and returns a parsed-enough response. */
    static HttpResponse<String> rawRoundTrip(String host, String path) throws Exception {
        String raw = rawRequest("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        return RawResponse.parse(raw);
    }

    static String rawRequest(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void routesByHostAndPathAndForwardsHeaders() throws Exception {
        HttpResponse<String> r = rawRoundTrip("shop.example:8080", "/a/x?q=1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("a /a/x?q=1");
        assertThat(r.headers().firstValue("x-seen-host")).hasValue("shop.example:8080");
        assertThat(r.headers().firstValue("x-seen-x-forwarded-host")).hasValue("shop.example:8080");
        assertThat(r.headers().firstValue("x-seen-x-forwarded-proto")).hasValue("http");
        assertThat(r.headers().firstValue("x-seen-x-forwarded-for")).hasValue("127.0.0.1");
        assertThat(r.headers().firstValue("x-seen-x-forwarded-port")).hasValue(Integer.toString(gateway.httpPort()));
        // hop-by-hop headers stay on their hop
        assertThat(r.headers().firstValue("x-seen-connection")).isEmpty();
    }

    @Test
    void matchesDecodedUnreservedCharactersButForwardsTheOriginalTarget() throws Exception {
        HttpResponse<String> r = rawRoundTrip("SHOP.Example.", "/%61/./x?q=%2F");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("a /%61/./x?q=%2F");
        // Exact /exact on *.wild.example: %74 is "t"; an encoded slash stays part of the element
        assertThat(rawRoundTrip("x.wild.example", "/exac%74").body()).isEqualTo("a /exac%74");
        assertThat(rawRoundTrip("x.wild.example", "/exact%2F").body()).isEqualTo("fallback /exact%2F");
    }

    @Test
    void appendsToAnExistingXForwardedFor() throws Exception {
        String raw = rawRequest("GET /a HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n");
        assertThat(RawResponse.parse(raw).headers().firstValue("x-seen-x-forwarded-for")).hasValue("203.0.113.9, 127.0.0.1");
    }

    @Test
    void roundRobinsAcrossReadyEndpointsOnly() throws Exception {
        List<String> seen = new ArrayList<>();
        int fallbackBefore = fallback.hits.get();
        for (int i = 0; i < 6; i++) {
            seen.add(rawRoundTrip("shop.example", "/b").body().split(" ")[0]);
        }
        assertThat(seen).containsOnly("a", "b");
        assertThat(seen.stream().filter("a"::equals).count()).isEqualTo(3);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).isNotEqualTo(seen.get(i - 1));
        }
        assertThat(fallback.hits.get()).as("the not-ready endpoint gets nothing").isEqualTo(fallbackBefore);
    }

    @Test
    void retriesTheNextEndpointWhenConnectingFails() throws Exception {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = rawRoundTrip("flaky.example", "/x");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("b /x");
        }
    }

    @Test
    void badGatewayWhenNoEndpointAccepts() throws Exception {
        HttpResponse<String> r = rawRoundTrip("dead.example", "/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("could not connect");
    }

    @Test
    void serviceUnavailableWithAClearBodyWithoutReadyEndpoints() throws Exception {
        HttpResponse<String> r = rawRoundTrip("empty.example", "/");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("no ready endpoints for service shop/nobody-home:http\n");
    }

    @Test
    void configuredDefaultBackendThen404() throws Exception {
        HttpResponse<String> r = rawRoundTrip("unknown.example", "/anything");
        assertThat(r.body()).isEqualTo("fallback /anything");
        state.set(snapshot(List.of(route("web", "shop.example", "Prefix", "/", "web")), List.of(), null));
        HttpResponse<String> notFound = rawRoundTrip("unknown.example", "/anything");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isEqualTo("no route for host unknown.example path /anything\n");
    }

    @Test
    void wildcardHostAndExactPath() throws Exception {
        assertThat(rawRoundTrip("x.wild.example", "/exact").body()).isEqualTo("a /exact");
        assertThat(rawRoundTrip("x.wild.example", "/exact/").body()).as("Exact /exact does not match /exact/")
                .isEqualTo("fallback /exact/");
        assertThat(rawRoundTrip("y.x.wild.example", "/exact").body()).isEqualTo("fallback /exact");
    }

    @Test
    void malformedRequestsGet400AndNeverReachABackend() throws Exception {
        int before = a.hits.get() + b.hits.get() + fallback.hits.get();
        List<String> requests = List.of(
                "GET / HTTP/1.1\r\nHost: shop example\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: shop.example:99999\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: user@shop.example\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: shop.example\r\nHost: other.example\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: shop.example\r\nX-Big: " + "x".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: shop.example\r\nX-Huge: " + "x".repeat(100_000) + "\r\nConnection: close\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: shop.example\r\n\r\n",
                "GET /a%zz HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
        for (String request : requests) {
            String raw = rawRequest(request);
            assertThat(raw).as(request.substring(0, Math.min(80, request.length()))).startsWith("HTTP/1.1 400");
            assertThat(raw).contains("bad request");
        }
        assertThat(a.hits.get() + b.hits.get() + fallback.hits.get()).isEqualTo(before);
    }

    @Test
    void http10WithoutHostUsesHostlessRulesOrDefault() throws Exception {
        String raw = rawRequest("GET /x HTTP/1.0\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.0 200").endsWith("fallback /x");
    }

    @Test
    void streamsRequestBodies() throws Exception {
        String raw = rawRequest("POST /a/upload HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world");
        assertThat(RawResponse.parse(raw).body()).isEqualTo("a echo:hello world");
        String chunked = rawRequest("POST /a/upload HTTP/1.1\r\nHost: shop.example\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(RawResponse.parse(chunked).body()).isEqualTo("a echo:hello world");
    }

    @Test
    void jdkClientOverLocalhostReachesTheDefaultBackend() throws Exception {
        HttpResponse<String> r = get(null, "/via-jdk");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("fallback /via-jdk");
        assertThat(r.headers().firstValue("x-seen-x-forwarded-for")).hasValue("203.0.113.9, 127.0.0.1");
    }

    @Test
    void timesOutASilentBackendWith504() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = rawRoundTrip("shop.example", "/slow");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void http2CleartextPriorKnowledge() throws Exception {
        io.vertx.core.http.HttpClient h2 = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        try {
            var resp = h2.request(new RequestOptions().setMethod(HttpMethod.GET)
                            .setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(h2cGateway.httpPort(), "127.0.0.1"))
                            .setHost("shop.example").setPort(80).setURI("/a/h2"))
                    .compose(req -> req.send().compose(res -> res.body().map(body -> res.version() + " " + body)))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(resp).isEqualTo("HTTP_2 a /a/h2");
        } finally {
            h2.close();
        }
    }

    @Test
    void http2CleartextUpgradeFromTheJdkClient() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h2cGateway.httpPort() + "/up")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h2cGateway.httpPort() + "/up2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.body()).isEqualTo("fallback /up");
        assertThat(second.body()).isEqualTo("fallback /up2");
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void relaysWebSockets() throws Exception {
        List<String> received = new ArrayList<>();
        CompletableFuture<Void> got = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + gateway.httpPort() + "/a/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        got.complete(null);
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("ping", true).get(10, TimeUnit.SECONDS);
        got.get(10, TimeUnit.SECONDS);
        assertThat(received).containsExactly("fallback:ping");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void writesAnAccessLogLine() throws Exception {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (lines) {
                    lines.add(String.format(record.getMessage(), record.getParameters() == null ? new Object[0] : record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.netplane.ingress.access");
        logger.addHandler(capture);
        try {
            rawRoundTrip("shop.example", "/a/logged");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                synchronized (lines) {
                    return lines.stream().anyMatch(l -> l.contains("/a/logged"));
                }
            });
            synchronized (lines) {
                String line = lines.stream().filter(l -> l.contains("/a/logged")).findFirst().orElseThrow();
                assertThat(line).contains("\"GET /a/logged HTTP/1.1\" 200", "host=\"shop.example\"",
                        "upstream=\"127.0.0.1:" + a.port() + "\"", "route=\"shop/only-a\"");
            }
        } finally {
            logger.removeHandler(capture);
        }
    }
}
