package io.netplane.policy.kafka;

import io.netplane.api.events.Topics;
import io.netplane.policy.compiler.CompileDelta;
import io.netplane.runtime.kafka.EventPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes compile deltas on {@code netplane.ipsets.v1} and {@code netplane.policies.v1} in the order that keeps
 * consumers consistent: new and changed sets, then policies, then removed policies, then removed sets.
 */
@ApplicationScoped
public class PolicyPublisher {
    public static final String SOURCE = "/netplane/policy-operator";
    private final EventPublisher publisher;

    public PolicyPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.publisher = new EventPublisher(bootstrapServers, SOURCE, Clock.systemUTC());
    }

    public CompletableFuture<Void> publish(CompileDelta d) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        d.sets().forEach(s -> sent.add(publisher.publish(Topics.IP_SETS, s)));
        d.policies().forEach(p -> sent.add(publisher.publish(Topics.POLICIES, p)));
        d.removedPolicies().forEach(k -> sent.add(publisher.tombstone(Topics.POLICIES, k)));
        d.removedSets().forEach(k -> sent.add(publisher.tombstone(Topics.IP_SETS, k)));
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    public CompletableFuture<Void> tombstone(Collection<String> policies, Collection<String> sets) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        policies.forEach(k -> sent.add(publisher.tombstone(Topics.POLICIES, k)));
        sets.forEach(k -> sent.add(publisher.tombstone(Topics.IP_SETS, k)));
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    @PreDestroy
    void close() {
        publisher.close();
    }
}
