package io.netplane.proxy.server;

import io.netplane.proxy.config.ProxyConfig;
import io.netplane.proxy.sync.SyncLoop;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /healthz} like kube-proxy's health server: 200 with the last successful sync time while rules are
 * current, 503 before the first sync or when a change has waited longer than {@code healthz-timeout}.
 */
@ApplicationScoped
public class HealthzRoute {
    @Inject
    SyncLoop loop;
    @Inject
    ProxyConfig config;

    void register(@Observes Router router) {
        router.get("/healthz").handler(ctx -> {
            Instant now = Instant.now();
            Instant last = loop.lastSync();
            Instant pending = loop.pendingSince();
            boolean healthy = last != null
                    && (pending == null || Duration.between(pending, now).compareTo(config.healthzTimeout()) < 0);
            JsonObject body = new JsonObject()
                    .put("lastUpdated", last == null ? "" : last.toString())
                    .put("currentTime", now.toString())
                    .put("nodeEligible", true)
                    .put("rules", loop.ruleCount());
            ctx.response().setStatusCode(healthy ? 200 : 503).putHeader("Content-Type", "application/json")
                    .end(body.encode());
        });
    }
}
