package io.netplane.runtime.kafka;

import io.netplane.api.events.CloudEventHeaders;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EventJson;
import io.netplane.api.events.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes contract events: keyed by object, full state or a tombstone, CloudEvents headers, through an
 * idempotent {@code acks=all} producer. Callers publish only after the API write the event reflects succeeded.
 */
public final class EventPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String source;
    private final Clock clock;

    /**
     * @param source the CloudEvents source of this component, e.g. {@code /netplane/endpoints-operator}
     */
    public EventPublisher(String bootstrapServers, String source, Clock clock) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // no lingering: an event is one object's change, and every consumer answers with it only once it arrives
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "netplane" + source.replace('/', '-'));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.source = source;
        this.clock = clock;
    }

    /** Publishes the current state of an object. */
    public <T extends ContractEvent> CompletableFuture<RecordMetadata> publish(Topic<T> topic, T value) {
        return send(topic, value.key(), EventJson.write(value), value.observedAt());
    }

    /** Publishes a tombstone: the object with this key is gone. */
    public CompletableFuture<RecordMetadata> tombstone(Topic<?> topic, String key) {
        return send(topic, key, null, clock.instant());
    }

    private CompletableFuture<RecordMetadata> send(Topic<?> topic, String key, byte[] value, Instant time) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), key, value);
        CloudEventHeaders.of(topic, source, key, time)
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(record, (md, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
            } else {
                done.complete(md);
            }
        });
        return done;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
