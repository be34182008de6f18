package io.netplane.endpoints.stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.endpoints.config.EndpointsConfig;
import io.netplane.endpoints.kube.ClusterInformers;
import io.netplane.endpoints.views.EndpointSliceInputs;
import io.netplane.endpoints.views.NodeInputs;
import io.netplane.endpoints.views.PodInputs;
import io.netplane.endpoints.views.ServiceInputs;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.runtime.leader.LeaderGate;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the operator while this replica holds the Lease, in the order the contract needs: read what is live on the
 * topics, attach one {@link ViewStream} per topic to the shared informers, start the informers (once; they keep
 * running, so a standby that led before stays warm), and once they have synced let every stream tombstone the keys
 * the API no longer has. Losing the Lease detaches the streams and pauses the slice controller
 * ({@link Leading}); leading again reads the topics afresh (the other leader published meanwhile) and republishes
 * from the caches, which is the same start over warm informers. Each term runs off the gate's thread, retrying until
 * Kafka answers; readiness reports when it is done.
 */
@ApplicationScoped
public class StreamsBootstrap {
    private static final Logger LOG = Logger.getLogger(StreamsBootstrap.class);
    static final List<Topic<?>> TOPICS = List.of(Topics.SERVICES, Topics.PODS, Topics.NODES, Topics.ENDPOINT_SLICES);

    @Inject
    EndpointsConfig config;
    @Inject
    ClusterInformers informers;
    @Inject
    EventPublisher publisher;
    @Inject
    KubernetesClient client;
    @Inject
    Clock clock;
    @Inject
    MeterRegistry meters;
    @Inject
    Event<InformersSynced> synced;
    @Inject
    Event<Leading> leading;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private volatile List<ViewStream<?, ?>> streams = List.of();
    private CompletableFuture<Void> informersStarted;
    private volatile boolean informersSynced;
    private volatile String lastError;
    private LeaderGate gate;
    /** The thread of the current term; null while not leading. Guarded by {@code this}. */
    private Thread term;

    void onStart(@Observes StartupEvent event) {
        List<String> problems = EndpointsConfig.problems(config.maxEndpointsPerSlice(), config.managedBy());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
        if (!config.leaderElection().enabled()) {
            lead();
            return;
        }
        gate = new LeaderGate(client, config.leaderElection().settings("endpoints-operator", client.getNamespace()),
                this::lead, this::standDown, meters, clock);
        gate.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (gate != null) {
            gate.close();
        }
        standDown();
    }

    private synchronized void lead() {
        if (term != null) {
            return;
        }
        term = new Thread(this::run, "endpoints-operator-term");
        term.setDaemon(true);
        term.start();
    }

    /** Stops everything that only the leader may do; the informers keep running. */
    private synchronized void standDown() {
        if (term == null) {
            return;
        }
        term.interrupt();
        term = null;
        streams.forEach(ViewStream::close);
        streams = List.of();
        leading.fire(new Leading(false));
        LOG.info("standing down: streams detached, slice controller paused");
    }

    private void run() {
        Thread self = Thread.currentThread();
        try {
            Map<String, Map<String, Digest>> live = readSnapshot();
            List<ViewStream<?, ?>> attached = new ArrayList<>();
            boolean first;
            synchronized (this) {
                if (term != self) {
                    return;
                }
                attach(attached, Topics.SERVICES, informers.services(), ServiceInputs::from, live);
                attach(attached, Topics.PODS, informers.pods(), PodInputs::from, live);
                attach(attached, Topics.NODES, informers.nodes(), NodeInputs::from, live);
                attach(attached, Topics.ENDPOINT_SLICES, informers.endpointSlices(), EndpointSliceInputs::from, live);
                streams = List.copyOf(attached);
                first = informersStarted == null;
                if (first) {
                    synced.fire(new InformersSynced(false));
                    informersStarted = informers.start();
                }
            }
            informersStarted.join();
            synchronized (this) {
                if (term != self) {
                    return;
                }
                informersSynced = true;
                LOG.infof("informers synced; mode %s; %s", config.mode(), first ? "first term" : "leading again");
                streams.forEach(ViewStream::sweep);
                synced.fire(new InformersSynced(true));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (self.isInterrupted()) {
                return; // the Lease was lost while this term started; Kafka's client wraps the interrupt
            }
            lastError = e.toString();
            LOG.error("endpoints operator failed to start its streams", e);
        }
    }

    private Map<String, Map<String, Digest>> readSnapshot() throws InterruptedException {
        Duration timeout = Duration.ofSeconds(config.snapshotTimeoutSeconds());
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("lost the Lease while reading the topics");
            }
            try {
                return TopicSnapshot.read(bootstrapServers, TOPICS, timeout);
            } catch (IllegalStateException e) {
                lastError = e.getMessage();
                LOG.warnf("%s; retrying", e.getMessage());
            }
        }
    }

    private <R extends HasMetadata, V extends ContractEvent> void attach(List<ViewStream<?, ?>> into, Topic<V> topic,
            SharedIndexInformer<R> informer, BiFunction<R, Instant, V> mapper, Map<String, Map<String, Digest>> live) {
        into.add(new ViewStream<>(topic, informer, mapper, publisher, clock, live.get(topic.name()), meters));
    }

    /** The Lease gate, when leader election is on. */
    public Optional<LeaderGate> gate() {
        return Optional.ofNullable(gate);
    }

    /** This replica waits for the Lease and does nothing else. */
    public boolean isStandby() {
        return gate != null && !gate.isLeader();
    }

    /** Informers synced and every stream of this term swept and acknowledged. */
    public boolean isReady() {
        List<ViewStream<?, ?>> current = streams;
        return informersSynced && informers.isWatching() && !current.isEmpty()
                && current.stream().allMatch(ViewStream::isReady);
    }

    public String lastError() {
        return lastError;
    }

    /**
     * Fired on the term's thread: with {@code synced=false} once, before the informers first start (register handlers
     * and indexers now), and with {@code synced=true} at the start of every term once they have listed.
     */
    public record InformersSynced(boolean synced) {
    }

    /** Fired with {@code false} when this replica loses the Lease: stop writing until the next InformersSynced. */
    public record Leading(boolean leading) {
    }
}
