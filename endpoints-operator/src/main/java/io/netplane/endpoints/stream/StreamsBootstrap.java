package io.netplane.endpoints.stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.endpoints.config.EndpointsConfig;
import io.netplane.endpoints.kube.ClusterInformers;
import io.netplane.endpoints.kube.LeaderGate;
import io.netplane.endpoints.views.EndpointSliceViews;
import io.netplane.endpoints.views.NodeViews;
import io.netplane.endpoints.views.PodViews;
import io.netplane.endpoints.views.ServiceViews;
import io.netplane.runtime.kafka.EventPublisher;
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
import java.util.function.BiFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the operator in the order the contract needs: read what is live on the topics, attach one
 * {@link ViewStream} per topic to the shared informers, start the informers, and once they have synced let every
 * stream tombstone the keys the API no longer has. Runs off the startup thread, retrying until Kafka answers;
 * readiness reports when it is done.
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
    Clock clock;
    @Inject
    MeterRegistry meters;
    @Inject
    Event<InformersSynced> synced;
    @Inject
    LeaderGate leader;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final List<ViewStream<?, ?>> streams = new ArrayList<>();
    private volatile boolean informersSynced;
    private volatile String lastError;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        List<String> problems = EndpointsConfig.problems(config.maxEndpointsPerSlice(), config.managedBy());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
        thread = new Thread(this::run, "endpoints-operator-bootstrap");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.interrupt();
        }
        streams.forEach(ViewStream::close);
    }

    private void run() {
        try {
            leader.awaitLeadership();
            Map<String, Map<String, Digest>> live = readSnapshot();
            attach(Topics.SERVICES, informers.services(), ServiceViews::from, live);
            attach(Topics.PODS, informers.pods(), PodViews::from, live);
            attach(Topics.NODES, informers.nodes(), NodeViews::from, live);
            attach(Topics.ENDPOINT_SLICES, informers.endpointSlices(), EndpointSliceViews::from, live);
            synced.fire(new InformersSynced(false));
            informers.start().join();
            informersSynced = true;
            LOG.infof("informers synced; mode %s", config.mode());
            streams.forEach(ViewStream::sweep);
            synced.fire(new InformersSynced(true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lastError = e.toString();
            LOG.error("endpoints operator failed to start its streams", e);
        }
    }

    private Map<String, Map<String, Digest>> readSnapshot() throws InterruptedException {
        Duration timeout = Duration.ofSeconds(config.snapshotTimeoutSeconds());
        while (true) {
            try {
                return TopicSnapshot.read(bootstrapServers, TOPICS, timeout);
            } catch (IllegalStateException e) {
                lastError = e.getMessage();
                LOG.warnf("%s; retrying", e.getMessage());
            }
        }
    }

    private <R extends HasMetadata, V extends ContractEvent> void attach(Topic<V> topic, SharedIndexInformer<R> informer,
            BiFunction<R, Instant, V> mapper, Map<String, Map<String, Digest>> live) {
        streams.add(new ViewStream<>(topic, informer, mapper, publisher, clock, live.get(topic.name()), meters));
    }

    /** This replica waits for the Lease and does nothing else. */
    public boolean isStandby() {
        return leader.isStandby();
    }

    /** Informers synced and every stream swept and acknowledged. */
    public boolean isReady() {
        return informersSynced && informers.isWatching() && streams.stream().allMatch(ViewStream::isReady);
    }

    public String lastError() {
        return lastError;
    }

    /**
     * Fired twice on the bootstrap thread: with {@code synced=false} before the informers start (register handlers
     * and indexers now), and with {@code synced=true} once they have listed.
     */
    public record InformersSynced(boolean synced) {
    }
}
