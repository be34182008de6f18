package io.netplane.ingress.gateway;

import io.netplane.ingress.tls.CertificateSource;
import io.netplane.ingress.tls.PemPair;
import io.netplane.ingress.tls.SecretRef;
import io.netplane.ingress.tls.SniKeyManager;
import io.netplane.ingress.tls.SniOptions;
import io.vertx.core.net.KeyCertOptions;
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
    private final GatewaySettings settings;
    private final GatewayState state;
    private final CertificateSource certificates;
    private final HttpClient client;
    private final WebSocketRelay webSockets;
    private HttpServer http;
    private HttpServer https;
    private final SniKeyManager keyManager = new SniKeyManager();
    private long reloadTimer = -1;
    private final SniOptions sni = new SniOptions();
    private final java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile List<PemPair> lastRead = List.of();

    public GatewayServer(Vertx vertx, GatewaySettings settings, GatewayState state, CertificateSource certificates) {
        this.vertx = vertx;
        this.settings = settings;
        this.state = state;
        this.certificates = certificates;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setMaxHeaderSize(settings.maxHeaderBytes() * 4)
                .setConnectTimeout((int) settings.connectTimeout().toMillis()),
                new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(10_000));
        this.webSockets = new WebSocketRelay(vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())), settings);
    }

    /** Starts the HTTP listener and, when an HTTPS port is set, the TLS reload loop. */
    public Future<Void> start() {
        HttpServerOptions options = baseOptions().setPort(settings.httpPort())
                .setHttp2ClearTextEnabled(settings.cleartextHttp2());
        http = vertx.createHttpServer(options);
        http.connectionHandler(conn -> StrictRequestDecoder.install(conn, options));
        http.invalidRequestHandler(req -> rejectUndecodable(req));
        http.requestHandler(new ProxyHandler(state, client, webSockets, settings, false));
        return http.listen().compose(s -> {
            LOG.infof("gateway HTTP listening on %s:%d", settings.host(), s.actualPort());
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
        https = vertx.createHttpServer(options);
        https.connectionHandler(conn -> StrictRequestDecoder.install(conn, options));
        https.invalidRequestHandler(GatewayServer::rejectUndecodable);
        https.requestHandler(new ProxyHandler(state, client, webSockets, settings, true));
        return https.listen().onSuccess(s -> LOG.infof("gateway HTTPS listening on %s:%d", settings.host(),
                s.actualPort())).mapEmpty();
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
        if (http != null) {
            closing.add(http.close());
        }
        if (https != null) {
            closing.add(https.close());
        }
        closing.add(client.close());
        return Future.all(closing).mapEmpty();
    }
}
