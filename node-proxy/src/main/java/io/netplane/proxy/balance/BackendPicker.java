package io.netplane.proxy.balance;

import io.netplane.proxy.model.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses backends for one service port in the userspace proxy, as kube-proxy's old userspace load balancer
 * did: round-robin over the endpoints; with ClientIP affinity a client keeps its endpoint until it has been
 * idle for the timeout or the endpoint is gone. {@link #candidates} gives the order in which to try
 * endpoints, so a failed connect moves on to the next one. Time is passed in; not thread-safe.
 */
public final class BackendPicker {
    private record Sticky(String endpointId, Instant lastUsed) {
    }

    private List<Endpoint> endpoints = List.of();
    private final Duration affinity;
    private final Map<String, Sticky> sticky = new HashMap<>();
    private int next;

    /** @param affinity ClientIP affinity timeout, or {@link Duration#ZERO} for none */
    public BackendPicker(Duration affinity) {
        this.affinity = affinity;
    }

    /** Replaces the endpoints; affinities to endpoints that are gone are dropped. */
    public void update(List<Endpoint> eps) {
        endpoints = List.copyOf(eps);
        sticky.values().removeIf(s -> eps.stream().noneMatch(e -> e.id().equals(s.endpointId())));
        if (next >= endpoints.size()) {
            next = 0;
        }
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Endpoints in the order to try for a new connection from {@code clientIp}: its sticky one first. */
    public List<Endpoint> candidates(String clientIp, Instant now) {
        List<Endpoint> out = new ArrayList<>(endpoints.size());
        if (endpoints.isEmpty()) {
            return out;
        }
        Sticky s = affinity.isZero() ? null : sticky.get(clientIp);
        if (s != null && Duration.between(s.lastUsed(), now).compareTo(affinity) < 0) {
            endpoints.stream().filter(e -> e.id().equals(s.endpointId())).findFirst().ifPresent(out::add);
        }
        int start = next;
        next = (next + 1) % endpoints.size();
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint e = endpoints.get((start + i) % endpoints.size());
            if (!out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Records that {@code clientIp} is now served by {@code e} (refreshing its affinity). */
    public void connected(String clientIp, Endpoint e, Instant now) {
        if (!affinity.isZero()) {
            sticky.put(clientIp, new Sticky(e.id(), now));
        }
    }
}
