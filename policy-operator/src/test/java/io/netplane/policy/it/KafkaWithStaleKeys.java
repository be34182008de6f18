package io.netplane.policy.it;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.Topics;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The shared real broker, with a policy and a set already on the topics from "before a restart" whose objects
 * no longer exist: the operator must tombstone them once it has listed the cluster.
 */
public class KafkaWithStaleKeys implements QuarkusTestResourceLifecycleManager {
    static final String STALE_POLICY = "gone/old-policy";
    static final String STALE_SET = "np-000000000000";

    @Override
    public Map<String, String> start() {
        String servers = SharedKafka.bootstrapServers();
        try (EventPublisher p = new EventPublisher(servers, "/netplane/policy-operator-it", Clock.systemUTC())) {
            p.publish(Topics.POLICIES, new PolicyView("gone", "old-policy", "1", Instant.EPOCH, STALE_SET,
                    List.of("Ingress"), List.of(), List.of())).join();
            p.publish(Topics.IP_SETS, new IpSetView(STALE_SET, "1", Instant.EPOCH, "stale", List.of())).join();
        }
        return Map.of("kafka.bootstrap.servers", servers);
    }

    @Override
    public void stop() {
        // the shared broker stops with the JVM
    }
}
