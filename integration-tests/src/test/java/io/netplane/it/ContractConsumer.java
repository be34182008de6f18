package io.netplane.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An outside consumer that knows nothing of Netplane's Java classes: it reads the published AsyncAPI document
 * ({@code docs/events/asyncapi.json}) and a topic with a plain Kafka consumer, and checks every record's headers
 * and payload against the document's schemas.
 */
final class ContractConsumer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode document;

    ContractConsumer(Path asyncApiDocument) throws IOException {
        this.document = JSON.readTree(asyncApiDocument.toFile());
    }

    /** A record as read from Kafka: its key, headers and raw JSON value (null for a tombstone). */
    record Raw(String key, Map<String, String> headers, String value) {
    }

    /** Reads a whole topic, from the beginning to its current end. */
    static List<Raw> readAll(String bootstrapServers, String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        List<Raw> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts));
            long deadline = System.currentTimeMillis() + 30_000;
            while (!end.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = new HashMap<>();
                    r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                    out.add(new Raw(r.key(), headers, r.value()));
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return out;
    }

    /** The schema violations of one record of {@code topic}; empty when it conforms. */
    List<String> violations(String topic, Raw raw) throws IOException {
        String messageRef = document.at("/channels/" + topic.replace("/", "~1") + "/subscribe/message/$ref").asText();
        JsonNode message = document.at(messageRef.substring(1));
        List<String> problems = new ArrayList<>();
        problems.addAll(validate(message.get("headers"), JSON.valueToTree(raw.headers()), "headers"));
        JsonNode payload = raw.value() == null ? JSON.nullNode() : JSON.readTree(raw.value());
        problems.addAll(validate(message.get("payload"), payload, "payload"));
        if (!raw.key().equals(raw.headers().get("ce_subject"))) {
            problems.add("ce_subject " + raw.headers().get("ce_subject") + " is not the key " + raw.key());
        }
        return problems;
    }

    private List<String> validate(JsonNode schema, JsonNode instance, String what) {
        ObjectNode root = ((ObjectNode) schema.deepCopy());
        root.set("components", document.get("components")); // so "#/components/..." pointers resolve
        JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> errors = s.validate(instance);
        return errors.stream().map(e -> what + ": " + e.getMessage()).toList();
    }
}
