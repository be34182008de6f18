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
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes compile deltas on {@code netplane.ipsets.v1} and {@code netplane.policies.v1} in the order that keeps
 * consumers consistent: new and changed sets, then policies, then removed policies, then removed sets.
 */
@ApplicationScoped
public class PolicyPublisher {
    public static final String SOURCE = "/netplane/policy-operator";
    private static final Logger LOG = Logger.getLogger(PolicyPublisher.class);
    private final EventPublisher publisher;

    public PolicyPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.publisher = new EventPublisher(bootstrapServers, SOURCE, Clock.systemUTC());
    }

    public CompletableFuture<Void> publish(CompileDelta d) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        d.sets().forEach(s -> sent.add(tooLargeIsReported(publisher.publish(Topics.IP_SETS, s), s.key(), s.members().size())));
        d.policies().forEach(p -> sent.add(tooLargeIsReported(publisher.publish(Topics.POLICIES, p), p.key(), -1)));
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

    /**
     * A value over the broker's message size cannot be fixed by retrying: it is logged with its key (and left out)
     * instead of failing the batch, which would make the caller republish everything in a loop.
     */
    private static CompletableFuture<?> tooLargeIsReported(CompletableFuture<?> sent, String key, int members) {
        return sent.exceptionally(t -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof RecordTooLargeException) {
                LOG.errorf("%s%s is too large for one Kafka record and was not published: %s", key,
                        members >= 0 ? " (" + members + " members)" : "", cause.getMessage());
                return null;
            }
            throw t instanceof CompletionException ce ? ce : new CompletionException(t);
        });
    }

    @PreDestroy
    void close() {
        publisher.close();
    }
}
