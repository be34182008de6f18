package io.netplane.policy.kafka;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.policy.compiler.CompileDelta;
import io.netplane.policy.config.PolicyOperatorConfig;
import io.netplane.policy.records.Outgoing;
import io.netplane.policy.records.Publication;
import io.netplane.policy.records.PublishPlanner;
import io.netplane.policy.records.ShardPlanner;
import io.netplane.runtime.kafka.EventPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes compile deltas on {@code netplane.ipsets.v1} and {@code netplane.policies.v1} as the
 * {@link PublishPlanner} lays them out: large sets in shards, and in waves (new shards, set headers, policies,
 * removed sets, retired shards) each sent once the previous one is acknowledged. Publications go out one after the
 * other in the order they were planned, from one sending thread (never the producer's I/O thread, which a full send
 * buffer would block), so a shard key retired by one publication and written again by the next ends written. A
 * failed wave stops its publication (the caller republishes the whole state).
 */
@ApplicationScoped
public class PolicyPublisher {
    public static final String SOURCE = "/netplane/policy-operator";
    private static final Logger LOG = Logger.getLogger(PolicyPublisher.class);
    private final EventPublisher publisher;
    private final PublishPlanner planner;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "policy-publisher");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    public PolicyPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, PolicyOperatorConfig config) {
        this.publisher = new EventPublisher(bootstrapServers, SOURCE, Clock.systemUTC());
        this.planner = new PublishPlanner(new ShardPlanner(config.ipsetShardMembers(), config.ipsetRecordBytes()));
    }

    /** Publishes the changes of a flush: of each changed set only the shards that changed. */
    public synchronized CompletableFuture<Void> publish(CompileDelta d) {
        return send(planner.plan(d, false));
    }

    /** Publishes a whole state (start of a term, after a failure): every shard, also those sent before. */
    public synchronized CompletableFuture<Void> publishAll(CompileDelta d) {
        return send(planner.plan(d, true));
    }

    /** Tombstones keys left on the topics by objects gone meanwhile, after everything queued before. */
    public synchronized CompletableFuture<Void> tombstone(Collection<String> policies, Collection<String> sets) {
        return send(planner.tombstones(policies, sets));
    }

    /** The shard keys of the sets as published (or queued), which the stale-key cleanup must keep. */
    public synchronized Set<String> liveShardKeys() {
        return planner.liveShardKeys();
    }

    private CompletableFuture<Void> send(Publication p) {
        p.problems().forEach(m -> LOG.errorf("not published: %s", m));
        CompletableFuture<Void> done = tail.handle((v, t) -> (Void) null);
        for (List<Outgoing> wave : p.waves()) {
            done = done.thenComposeAsync(v -> sendWave(wave), sender);
        }
        tail = done;
        return done;
    }

    private CompletableFuture<Void> sendWave(List<Outgoing> wave) {
        CompletableFuture<?>[] sent = new CompletableFuture<?>[wave.size()];
        for (int i = 0; i < sent.length; i++) {
            Outgoing o = wave.get(i);
            sent[i] = o.value() == null ? publisher.tombstone(o.topic(), o.key()) : tooLargeIsReported(publish(o), o);
        }
        return CompletableFuture.allOf(sent);
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<?> publish(Outgoing o) {
        return publisher.publish((Topic<ContractEvent>) o.topic(), o.value());
    }

    /**
     * A value over the broker's message size cannot be fixed by retrying: it is logged with its key (and left out)
     * instead of failing the batch, which would make the caller republish everything in a loop. Sets are sharded to
     * stay under {@code ipset-record-bytes}; a broker with a smaller limit needs that lowered.
     */
    private static CompletableFuture<?> tooLargeIsReported(CompletableFuture<?> sent, Outgoing o) {
        return sent.exceptionally(t -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof RecordTooLargeException) {
                LOG.errorf("%s %s is too large for one Kafka record and was not published (lower "
                        + "netplane.policy.ipset-record-bytes below the broker's max message size): %s",
                        o.topic(), o.key(), cause.getMessage());
                return null;
            }
            throw t instanceof CompletionException ce ? ce : new CompletionException(t);
        });
    }

    @PreDestroy
    void close() {
        sender.shutdown();
        publisher.close();
    }
}
