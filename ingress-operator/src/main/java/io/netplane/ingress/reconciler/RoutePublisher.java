package io.netplane.ingress.reconciler;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.RouteView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.runtime.kafka.SnapshotFollower;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes compiled routes and remembers what is on the topic, so it republishes only on change and can
 * tombstone the keys of Ingresses that are gone or left the class. What earlier runs published is read back
 * from the (compacted) topic at start, and a standby keeps following what the leader publishes.
 */
public final class RoutePublisher implements AutoCloseable {

    private final EventPublisher publisher;
    private final SnapshotFollower follower;
    private final Map<String, RouteView> published = new ConcurrentHashMap<>();
    private volatile boolean leading;

    public RoutePublisher(String bootstrapServers, Clock clock) {
        this.publisher = new EventPublisher(bootstrapServers, "/netplane/ingress-operator", clock);
        this.follower = new SnapshotFollower(bootstrapServers, "ingress-controller-ledger", List.of(Topics.ROUTES),
                new EventHandler() {
                    @Override
                    public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                        if (value == null) {
                            published.remove(key);
                        } else if (leading) {
                            // our own echo may be older than what we published since
                            published.putIfAbsent(key, (RouteView) value);
                        } else {
                            // a standby follows what the leader publishes, to start from it when it takes over
                            published.put(key, (RouteView) value);
                        }
                    }
                }).start();
    }

    /** While leading the ledger trusts this replica's own publishes; otherwise it follows the topic. */
    public void leading(boolean leading) {
        this.leading = leading;
    }

    public boolean awaitLedger(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /**
     * Publishes {@code route} unless the same routes are already on the topic (resourceVersion and observedAt
     * aside: the controller's own status write bumps the resourceVersion without changing any route).
     */
    public void publish(RouteView route) throws Exception {
        RouteView before = published.get(route.key());
        if (before != null && sameContent(before, route)) {
            return;
        }
        publisher.publish(Topics.ROUTES, route).get(30, TimeUnit.SECONDS);
        published.put(route.key(), route);
    }

    public void tombstone(String key) throws Exception {
        if (published.containsKey(key)) {
            publisher.tombstone(Topics.ROUTES, key).get(30, TimeUnit.SECONDS);
            published.remove(key);
        }
    }

    public Set<String> publishedKeys() {
        return Set.copyOf(published.keySet());
    }

    /** The routes this controller currently has on the topic (for conflict reporting across a class). */
    public List<RouteView> publishedRoutes() {
        return List.copyOf(published.values());
    }

    private static boolean sameContent(RouteView a, RouteView b) {
        return a.equals(new RouteView(b.namespace(), b.name(), a.resourceVersion(), a.observedAt(), b.ingressClassName(),
                b.defaultBackend(), b.rules(), b.tls(), b.createdAt()));
    }

    @Override
    public void close() {
        follower.close();
        publisher.close();
    }
}
