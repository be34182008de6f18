package io.netplane.testing.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus: {@code @QuarkusTestResource(KafkaTestResource.class)} points the application at the JVM's shared
 * real broker (the broker outlives the application so several test classes reuse it).
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedKafka.bootstrapServers());
    }

    @Override
    public void stop() {
        // the shared broker stops with the JVM
    }
}
