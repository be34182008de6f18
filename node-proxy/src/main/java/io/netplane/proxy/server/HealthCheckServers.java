package io.netplane.proxy.server;

import io.netplane.proxy.model.PlannedPort;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One HTTP server per {@code healthCheckNodePort} of an {@code externalTrafficPolicy: Local} Service, answering
 * like kube-proxy's: 200 with the local endpoint count when this node has ready local endpoints, 503 otherwise,
 * so a load balancer only sends traffic to nodes that can serve it locally.
 */
public final class HealthCheckServers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthCheckServers.class);

    /** What one health check port reports. */
    public record Target(String namespace, String name, int localEndpoints) {
    }

    private final Vertx vertx;
    private final String bindAddress;
    private final Map<Integer, HttpServer> servers = new HashMap<>();
    private final Map<Integer, Target> targets = new ConcurrentHashMap<>();

    public HealthCheckServers(Vertx vertx, String bindAddress) {
        this.vertx = vertx;
        this.bindAddress = bindAddress;
    }

    /** The health check targets of the programmed Services: local ready endpoints per healthCheckNodePort. */
    public static Map<Integer, Target> targets(Map<String, List<PlannedPort>> programmed) {
        Map<Integer, Target> out = new HashMap<>();
        programmed.values().forEach(ports -> ports.forEach(p -> {
            int hc = p.port().healthCheckNodePort();
            if (hc > 0 && !out.containsKey(hc)) {
                int local = (int) p.endpoints().stream().filter(e -> e.local() && e.ready()).count();
                out.put(hc, new Target(p.port().namespace(), p.port().name(), local));
            }
        }));
        return out;
    }

    public synchronized void sync(Map<Integer, Target> wanted) {
        targets.keySet().retainAll(wanted.keySet());
        targets.putAll(wanted);
        for (var it = servers.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
        for (int port : wanted.keySet()) {
            if (!servers.containsKey(port)) {
                start(port);
            }
        }
    }

    /** What a health check port answers (kube-proxy's {@code hcHandler}). */
    public record Reply(int status, Map<String, String> headers, String body) {
    }

    /**
     * The answer for a target (null: the port is being closed): 200 with local endpoints, 503 without; the
     * {@code X-Load-Balancing-Endpoint-Weight} header carries the local endpoint count, which load balancers read to
     * weight the node.
     */
    public static Reply reply(Target t) {
        int count = t == null ? 0 : t.localEndpoints();
        JsonObject body = new JsonObject()
                .put("service", new JsonObject().put("namespace", t == null ? "" : t.namespace())
                        .put("name", t == null ? "" : t.name()))
                .put("localEndpoints", count)
                .put("serviceProxyHealthy", true);
        return new Reply(count > 0 ? 200 : 503, Map.of("Content-Type", "application/json",
                "X-Content-Type-Options", "nosniff", "X-Load-Balancing-Endpoint-Weight", Integer.toString(count)),
                body.encode());
    }

    private void start(int port) {
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            Reply r = reply(targets.get(port));
            var response = req.response().setStatusCode(r.status());
            r.headers().forEach(response::putHeader);
            response.end(r.body());
        });
        try {
            server.listen(port, bindAddress).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            servers.put(port, server);
        } catch (Exception e) {
            LOG.errorf("cannot listen on healthCheckNodePort %d: %s", port, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(HttpServer::close);
        servers.clear();
    }
}
