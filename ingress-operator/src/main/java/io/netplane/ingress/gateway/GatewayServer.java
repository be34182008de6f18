package io.netplane.ingress.gateway;

import io.netplane.ingress.tls.CertificateSource;
import io.netplane.ingress.tls.PemPair;
import io.netplane.ingress.tls.SecretRef;
import io.netplane.ingress.tls.SniKeyManager;
import io.netplane.ingress.tls.SniOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.util.Map;
import javax.net.ssl.X509ExtendedKeyManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The gateway's listeners: HTTP/1.1 (and, when enabled, cleartext HTTP/2) on the HTTP port,
 * HTTP/1.1 and HTTP/2 (ALPN) on the HTTPS port, where {@link SniKeyManager} picks the certificate per SNI name.
 * Secrets are re-read every reload interval (and on {@link #reloadTls()}, which the feed calls when TLS
 * bindings change) and the SNI table is swapped atomically, so reloads never interrupt handshakes.
 */
public final class GatewayServer {
    private static final Logger LOG = Logger.getLogger(GatewayServer.class);

    private final Vertx vertx;
    private final RequestObserver observer;
    private final GatewaySettings settings;
    private final GatewayState state;
    private final CertificateSource certificates;
    private final HttpClientOptions clientOptions;
    private final PoolOptions poolOptions;
    /** One backend client per listener instance, so per event loop (see {@link #newHandler}). */
    private final List<HttpClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final WebSocketRelay webSockets;
    private final Map<io.netplane.ingress.routing.Backend, java.util.concurrent.atomic.AtomicInteger> cursors =
            new java.util.concurrent.ConcurrentHashMap<>();
    private HttpServer http;
    private HttpServer https;
    private final SniKeyManager keyManager = new SniKeyManager();
    private static final java.util.concurrent.atomic.AtomicInteger RANDOM_SHARED_PORT =
            new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long reloadTimer = -1;
    private final SniOptions sni = new SniOptions();
    private final java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile List<PemPair> lastRead = List.of();

    public GatewayServer(Vertx vertx, GatewaySettings settings, GatewayState state, CertificateSource certificates) {
        this(vertx, settings, state, certificates, RequestObserver.NONE);
    }

    public GatewayServer(Vertx vertx, GatewaySettings settings, GatewayState state, CertificateSource certificates,
            RequestObserver observer) {
        this.observer = observer;
        this.vertx = vertx;
        this.settings = settings;
        this.state = state;
        this.certificates = certificates;
        this.clientOptions = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                // a response body is relayed chunk by chunk; Netty's default 8 KB cut a 64 KB body into 8 writes
                .setMaxChunkSize(64 * 1024)
                .setMaxHeaderSize(settings.maxHeaderBytes() * 4)
                .setConnectTimeout((int) settings.connectTimeout().toMillis());
        this.poolOptions = new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(10_000);
        this.webSockets = new WebSocketRelay(vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())), settings);
    }

    /** Starts the HTTP listener and, when an HTTPS port is set, the TLS reload loop. */
    public Future<Void> start() {
        HttpServerOptions options = baseOptions().setPort(settings.httpPort())
                .setHttp2ClearTextEnabled(settings.cleartextHttp2());
        return listen(options, false).compose(server -> {
            http = server;
            LOG.infof("gateway HTTP listening on %s:%d (%d event loops)", settings.host(), server.actualPort(),
                    settings.eventLoops());
            if (settings.httpsPort() < 0) {
                return Future.<Void>succeededFuture();
            }
            reloadTimer = vertx.setPeriodic(settings.tlsReloadInterval().toMillis(), id -> reloadTls());
            return reloadTls().compose(v -> startHttps());
        });
    }

    private Future<Void> startHttps() {
        HttpServerOptions options = baseOptions().setPort(settings.httpsPort()).setSsl(true).setUseAlpn(true)
                .setKeyCertOptions(KeyCertOptions.wrap(keyManager));
        if (OpenSSLEngineOptions.isAvailable()) {
            // BoringSSL (netty-tcnative) encrypts and handshakes at a fraction of the JDK engine's cost
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        return listen(options, true).onSuccess(server -> {
            https = server;
            LOG.infof("gateway HTTPS listening on %s:%d (%s TLS)", settings.host(), server.actualPort(),
                    options.getSslEngineOptions() instanceof OpenSSLEngineOptions ? "OpenSSL" : "JDK");
        }).mapEmpty();
    }

    /**
     * Listens with one server per event loop: a Vert.x server serves its connections on the event loop it was
     * created on, and servers bound to the same port share the socket, so this spreads connections over all
     * loops. The first binds (resolving port 0); the others join its actual port from their own contexts.
     */
    private Future<HttpServer> listen(HttpServerOptions requested, boolean tls) {
        // Vert.x shares a socket among servers of one port; port 0 is never shared, a negative port is a random
        // port shared by every server using that same negative number, so each listener gets its own
        HttpServerOptions options = requested.getPort() != 0 ? requested
                : new HttpServerOptions(requested).setPort(RANDOM_SHARED_PORT.decrementAndGet());
        HttpServer first = configure(vertx.createHttpServer(options), options, newHandler(tls));
        return first.listen().compose(bound -> {
            int extra = settings.eventLoops() - 1;
            if (extra <= 0) {
                return Future.succeededFuture(bound);
            }
            HttpServerOptions joined = options;
            return vertx.deployVerticle(() -> new io.vertx.core.AbstractVerticle() {
                @Override
                public void start(io.vertx.core.Promise<Void> started) {
                    configure(vertx.createHttpServer(joined), joined, newHandler(tls)).listen()
                            .<Void>mapEmpty().onComplete(started);
                }
            }, new io.vertx.core.DeploymentOptions().setInstances(extra)).map(id -> {
                deployments.add(id);
                return bound;
            });
        });
    }

    /**
     * A handler with its own backend client. A Vert.x client pool hands any pooled connection to any caller, and
     * a connection made on another event loop costs two thread hops per request (and contended pool locks);
     * a server instance handles all its requests on one event loop, so a client of its own keeps the backend
     * connections on that loop.
     */
    private ProxyHandler newHandler(boolean tls) {
        HttpClient client = vertx.createHttpClient(clientOptions, poolOptions);
        clients.add(client);
        return new ProxyHandler(state, client, webSockets, settings, tls, observer, cursors);
    }

    private static HttpServer configure(HttpServer server, HttpServerOptions options, ProxyHandler handler) {
        server.connectionHandler(conn -> {
            StrictRequestDecoder.install(conn, options);
            FlushBatching.install(conn);
        });
        server.invalidRequestHandler(GatewayServer::rejectUndecodable);
        server.requestHandler(handler);
        return server;
    }

    private HttpServerOptions baseOptions() {
        return new HttpServerOptions()
                .setHost(settings.host())
                .setMaxHeaderSize(settings.maxHeaderBytes() * 4)
                .setMaxInitialLineLength(settings.maxHeaderBytes())
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false);
    }

    /** What Vert.x could not decode at all (e.g. header block beyond the decoder limit, bad framing): 400. */
    private static void rejectUndecodable(io.vertx.core.http.HttpServerRequest req) {
        Throwable cause = req.decoderResult().cause();
        String reason = cause == null ? "malformed request" : cause.getMessage();
        req.response().setStatusCode(400).putHeader("content-type", "text/plain; charset=utf-8")
                .putHeader("connection", "close").end("bad request: " + reason + "\n");
    }

    /**
     * Re-reads the referenced Secrets (off the event loop) and swaps the SNI table when they or their host
     * bindings changed. A reload that finds one already running is skipped: the next tick reads again.
     */
    public Future<Void> reloadTls() {
        if (!reloading.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        GatewayState.Snapshot snapshot = state.get();
        return vertx.<Void>executeBlocking(() -> {
            List<PemPair> pairs = new ArrayList<>();
            for (SecretRef ref : snapshot.tlsSecrets()) {
                try {
                    certificates.load(ref).ifPresentOrElse(pairs::add, () -> LOG.debugf("TLS Secret %s not found", ref));
                } catch (Exception e) {
                    LOG.warnf("cannot read TLS Secret %s: %s", ref, e.getMessage());
                }
            }
            if (sameContent(pairs, lastRead) && snapshot.tlsHosts().equals(keyManager.table().hosts())) {
                return null;
            }
            lastRead = pairs;
            Map<SecretRef, X509ExtendedKeyManager> managers = sni.keyManagers(vertx, pairs);
            SecretRef fallback = snapshot.defaultCertificate() != null && managers.containsKey(snapshot.defaultCertificate())
                    ? snapshot.defaultCertificate() : managers.keySet().stream().findFirst().orElse(null);
            keyManager.update(managers, snapshot.tlsHosts(), fallback);
            LOG.infof("gateway TLS table: %d certificate(s), %d host binding(s), default %s", managers.size(),
                    snapshot.tlsHosts().size(), fallback);
            return null;
        }, false).andThen(ar -> reloading.set(false));
    }

    private static boolean sameContent(List<PemPair> a, List<PemPair> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).ref().equals(b.get(i).ref()) || !a.get(i).sameContent(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    public int httpPort() {
        return http.actualPort();
    }

    /** The HTTPS port once HTTPS is up, else -1. */
    public int httpsPort() {
        return https == null ? -1 : https.actualPort();
    }

    public Future<Void> close() {
        if (reloadTimer >= 0) {
            vertx.cancelTimer(reloadTimer);
        }
        List<Future<Void>> closing = new ArrayList<>();
        deployments.forEach(id -> closing.add(vertx.undeploy(id)));
        if (http != null) {
            closing.add(http.close());
        }
        if (https != null) {
            closing.add(https.close());
        }
        clients.forEach(c -> closing.add(c.close()));
        return Future.all(closing).mapEmpty();
    }
}
