package io.netplane.proxy.kafka;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.proxy.config.ProxyConfig;
import io.netplane.proxy.sync.SyncLoop;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.netplane.proxy.sync.PolicyLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Feeds the sync loop from Kafka: Services, EndpointSlices and Nodes, snapshot first. */
@ApplicationScoped
public class ProxyFeed {
    @Inject
    SyncLoop loop;
    @Inject
    ProxyConfig config;
    @Inject
    Optional<PolicyLoop> policies;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private SnapshotFollower follower;

    void start(@Observes StartupEvent ev) {
        if (config.cleanup()) {
            return;
        }
        List<Topic<?>> topics = new ArrayList<>(List.of(Topics.SERVICES, Topics.ENDPOINT_SLICES, Topics.NODES));
        policies.ifPresent(p -> topics.addAll(PolicyLoop.topics()));
        follower = new SnapshotFollower(bootstrap, "node-proxy-" + config.nodeName(), topics, new EventHandler() {
            @Override
            public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                if (topic.equals(Topics.POLICIES) || topic.equals(Topics.IP_SETS)) {
                    policies.ifPresent(p -> p.onEvent(topic, key, value));
                } else {
                    loop.onEvent(topic, key, value);
                }
            }

            @Override
            public void onCaughtUp() {
                loop.onCaughtUp();
                policies.ifPresent(PolicyLoop::onCaughtUp);
            }
        }).start();
    }

    public boolean caughtUp() {
        return follower != null && follower.isCaughtUp();
    }

    public long malformedCount() {
        return follower == null ? 0 : follower.malformedCount();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (follower != null) {
            follower.close();
        }
    }
}
