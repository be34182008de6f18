package io.netplane.endpoints.it;

import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Before the application starts, puts on the topics the values an earlier run of the operator would have left for
 * objects that were deleted while it was down. The operator must tombstone them on start. (Plain JSON through a plain
 * producer: test resources run outside the application's class loader, so the contract classes are not shared.)
 */
public class StaleKeysResource implements QuarkusTestResourceLifecycleManager {
    public static final String STALE_SERVICE = "gone/web";
    public static final String STALE_POD = "gone/web-0";
    public static final String STALE_NODE = "gone-node";

    @Override
    public Map<String, String> start() {
        String at = "\"observedAt\":\"2026-01-01T00:00:00Z\",\"resourceVersion\":\"1\"";
        Map<String, String> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        try (var producer = new KafkaProducer<String, String>(Map.copyOf(props), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("netplane.services.v1", STALE_SERVICE,
                    "{\"namespace\":\"gone\",\"name\":\"web\",\"uid\":\"u-gone\"," + at + ",\"type\":\"ClusterIP\"}")).get();
            producer.send(new ProducerRecord<>("netplane.pods.v1", STALE_POD,
                    "{\"namespace\":\"gone\",\"name\":\"web-0\",\"uid\":\"u-pod\"," + at + ",\"phase\":\"Running\"}")).get();
            producer.send(new ProducerRecord<>("netplane.nodes.v1", STALE_NODE,
                    "{\"name\":\"gone-node\",\"uid\":\"u-node\"," + at + "}")).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot seed stale keys", e);
        }
        return Map.of("kafka.bootstrap.servers", SharedKafka.bootstrapServers());
    }

    @Override
    public void stop() {
    }
}
