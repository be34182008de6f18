package io.netplane.proxy.userspace;

import io.netplane.proxy.balance.BackendPicker;
import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.sync.Dataplane;
import io.netplane.proxy.sync.SyncInput;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The userspace data plane: a Vert.x TCP or UDP proxy per listener (ClusterIP:port, NodePort), round-robin with
 * ClientIP affinity, trying the next endpoint when a TCP connect fails. A listener without endpoints refuses
 * TCP connections (accepts and closes) and drops UDP datagrams.
 */
public final class UserspaceDataplane implements Dataplane {
    private static final Logger LOG = Logger.getLogger(UserspaceDataplane.class);

    private final Vertx vertx;
    private final boolean clusterIps;
    private final String nodePortAddress;
    private final NetClient client;
    private final Duration udpIdle;
    private final Map<String, Proxy> proxies = new ConcurrentHashMap<>();

    /** A running listener: its socket and its backend picker. */
    interface Proxy {
        Listener listener();

        BackendPicker picker();

        void close();
    }

    public UserspaceDataplane(Vertx vertx, String nodeName, boolean clusterIps, String nodePortAddress,
            Duration connectTimeout, Duration udpIdle) {
        this.vertx = vertx;
        this.clusterIps = clusterIps;
        this.nodePortAddress = nodePortAddress;
        this.udpIdle = udpIdle;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) connectTimeout.toMillis()));
    }

    @Override
    public void replaceAll(SyncInput input) {
        Set<String> keys = new HashSet<>();
        input.services().values().forEach(m -> keys.addAll(m.keySet()));
        proxies.values().removeIf(p -> {
            if (!keys.contains(p.listener().serviceKey())) {
                p.close();
                return true;
            }
            return false;
        });
        update(input);
    }

    @Override
    public void update(SyncInput input) {
        Map<String, List<PlannedPort>> merged = new HashMap<>();
        input.services().values().forEach(m -> m.forEach((k, ports) ->
                merged.merge(k, ports, (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList())));
        merged.forEach((key, ports) -> {
            Map<String, Listener> wanted = new HashMap<>();
            ListenerPlanner.plan(ports, input.node().topology(), clusterIps, nodePortAddress)
                    .forEach(l -> wanted.putIfAbsent(l.id(), l));
            proxies.values().removeIf(p -> {
                Listener l = p.listener();
                boolean keep = wanted.containsKey(l.id()) && l.serviceKey().equals(key)
                        && wanted.get(l.id()).affinity().equals(l.affinity());
                if (l.serviceKey().equals(key) && !keep) {
                    p.close();
                    return true;
                }
                return false;
            });
            wanted.values().forEach(l -> {
                Proxy existing = proxies.get(l.id());
                if (existing != null) {
                    synchronized (existing.picker()) {
                        existing.picker().update(l.endpoints());
                    }
                } else {
                    start(l);
                }
            });
        });
    }

    private void start(Listener l) {
        BackendPicker picker = new BackendPicker(l.affinity());
        picker.update(l.endpoints());
        try {
            Proxy p = "udp".equals(l.protocol()) ? UdpProxy.start(vertx, l, picker, udpIdle)
                    : TcpProxy.start(vertx, client, l, picker);
            proxies.put(l.id(), p);
        } catch (Exception e) {
            LOG.errorf("cannot listen on %s for %s: %s", l.id(), l.serviceKey(), e.getMessage());
        }
    }

    /** The endpoints each listener forwards to, by listener id (for tests and diagnostics). */
    public Map<String, List<Endpoint>> listeners() {
        Map<String, List<Endpoint>> out = new HashMap<>();
        proxies.forEach((id, p) -> out.put(id, p.picker().endpoints()));
        return out;
    }

    @Override
    public int ruleCount() {
        return proxies.size();
    }

    @Override
    public void remove() {
        proxies.values().forEach(Proxy::close);
        proxies.clear();
    }
}
