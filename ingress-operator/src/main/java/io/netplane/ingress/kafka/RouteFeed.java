package io.netplane.ingress.kafka;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.RouteView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.ingress.endpoints.EndpointTable;
import io.netplane.ingress.gateway.GatewayState;
import io.netplane.ingress.routing.Backend;
import io.netplane.ingress.routing.RouteTable;
import io.netplane.ingress.tls.SecretRef;
import io.netplane.ingress.tls.TlsRefs;
import io.netplane.runtime.kafka.EventHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Keeps the gateway's tables in step with {@code netplane.routes.v1} and {@code netplane.endpointslices.v1}.
 * Only routes of the gateway's IngressClass are served. During the snapshot events are only collected; the
 * tables are built once at caught-up and then rebuilt (routes or endpoints, whichever changed) per event.
 */
public final class RouteFeed implements EventHandler {
    private static final Logger LOG = Logger.getLogger(RouteFeed.class);

    private final String className;
    private final Backend configuredDefault;
    private final SecretRef defaultCertificate;
    private final GatewayState state;
    private final Runnable onTlsChange;
    private final Map<String, RouteView> routes = new HashMap<>();
    private final Map<String, EndpointSliceView> slices = new HashMap<>();
    private boolean caughtUp;

    public RouteFeed(String className, Backend configuredDefault, SecretRef defaultCertificate, GatewayState state,
            Runnable onTlsChange) {
        this.className = className;
        this.configuredDefault = configuredDefault;
        this.defaultCertificate = defaultCertificate;
        this.state = state;
        this.onTlsChange = onTlsChange;
    }

    public static List<Topic<?>> topics() {
        return List.of(Topics.ROUTES, Topics.ENDPOINT_SLICES);
    }

    @Override
    public synchronized void onEvent(Topic<?> topic, String key, ContractEvent value) {
        boolean routesChanged = false;
        if (topic.name().equals(Topics.ROUTES.name())) {
            RouteView before = value == null ? routes.remove(key) : routes.put(key, (RouteView) value);
            routesChanged = isOurs(before) || isOurs((RouteView) value);
        } else if (topic.name().equals(Topics.ENDPOINT_SLICES.name())) {
            if (value == null) {
                slices.remove(key);
            } else {
                slices.put(key, (EndpointSliceView) value);
            }
        } else {
            return;
        }
        if (caughtUp) {
            rebuild(routesChanged, !routesChanged);
        }
    }

    @Override
    public synchronized void onCaughtUp() {
        caughtUp = true;
        rebuild(true, true);
        LOG.infof("gateway snapshot loaded: %d routes of class %s, %d EndpointSlices",
                ours().size(), className, slices.size());
    }

    private boolean isOurs(RouteView route) {
        return route != null && Objects.equals(className, route.ingressClassName());
    }

    private List<RouteView> ours() {
        return routes.values().stream().filter(this::isOurs).toList();
    }

    private void rebuild(boolean routesChanged, boolean endpointsChanged) {
        GatewayState.Snapshot old = state.get();
        RouteTable table = old.routes();
        List<SecretRef> tls = old.tlsSecrets();
        Map<String, SecretRef> tlsHosts = old.tlsHosts();
        if (routesChanged) {
            List<RouteView> mine = ours();
            table = RouteTable.build(mine, configuredDefault);
            tls = TlsRefs.of(mine, defaultCertificate);
            tlsHosts = TlsRefs.hosts(mine);
            table.conflicts().forEach(c -> LOG.debugf("route conflict: %s", c.describe()));
        }
        EndpointTable endpoints = endpointsChanged ? EndpointTable.build(slices.values()) : old.endpoints();
        state.set(new GatewayState.Snapshot(table, endpoints, tls, tlsHosts, defaultCertificate));
        if (!tls.equals(old.tlsSecrets()) || !tlsHosts.equals(old.tlsHosts())) {
            onTlsChange.run();
        }
    }

    /** The state a gateway starts from, before the snapshot is loaded (serves 404/default to everything). */
    public static GatewayState.Snapshot initial(Backend configuredDefault, SecretRef defaultCertificate) {
        return new GatewayState.Snapshot(RouteTable.empty(configuredDefault), EndpointTable.empty(),
                defaultCertificate == null ? List.of() : List.of(defaultCertificate), Map.of(), defaultCertificate);
    }
}
