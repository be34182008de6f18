package io.netplane.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.api.events.CloudEventHeaders;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.testing.kafka.KafkaBroker;
import io.netplane.testing.kafka.KafkaExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class SnapshotFollowerIT {

    private static NodeView node(String name, String rv) {
        return new NodeView(name, "uid-" + name, rv, Instant.parse("2026-01-01T00:00:00Z"), List.of(), "zone-a",
                List.of("10.244.0.0/24"), true, 2000, Map.of());
    }

    @Test
    void snapshotIsDeliveredBeforeCaughtUpThenChangesFollow(KafkaBroker kafka) throws Exception {
        String prefix = "snap-" + UUID.randomUUID() + "-";
        try (EventPublisher pub = new EventPublisher(kafka.bootstrapServers(), "/netplane/test", Clock.systemUTC())) {
            for (int i = 0; i < 50; i++) {
                pub.publish(Topics.NODES, node(prefix + i, "1"));
            }
            pub.tombstone(Topics.NODES, prefix + 7).get();
            pub.flush();

            Map<String, ContractEvent> state = new ConcurrentHashMap<>();
            List<Integer> sizeAtCaughtUp = new CopyOnWriteArrayList<>();
            EventHandler handler = new EventHandler() {
                @Override
                public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                    if (!key.startsWith(prefix)) {
                        return;
                    }
                    if (value == null) {
                        state.remove(key);
                    } else {
                        state.put(key, value);
                    }
                }

                @Override
                public void onCaughtUp() {
                    sizeAtCaughtUp.add(state.size());
                }
            };
            try (SnapshotFollower f = new SnapshotFollower(kafka.bootstrapServers(), "t1", List.of(Topics.NODES), handler).start()) {
                assertThat(f.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(sizeAtCaughtUp).containsExactly(49);
                assertThat(state).doesNotContainKey(prefix + 7);

                pub.publish(Topics.NODES, node(prefix + "late", "2")).get();
                await().atMost(Duration.ofSeconds(10)).until(() -> state.containsKey(prefix + "late"));
                assertThat(((NodeView) state.get(prefix + "late")).resourceVersion()).isEqualTo("2");
            }
        }
    }

    @Test
    void publishedRecordsCarryCloudEventsHeadersAndMalformedValuesAreSkipped(KafkaBroker kafka) throws Exception {
        String key = "ce-" + UUID.randomUUID();
        Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var raw = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
                EventPublisher pub = new EventPublisher(kafka.bootstrapServers(), "/netplane/test", Clock.systemUTC())) {
            raw.send(new ProducerRecord<>(Topics.NODES.name(), key + "-bad", "{not json".getBytes(StandardCharsets.UTF_8))).get();
            var md = pub.publish(Topics.NODES, node(key, "5")).get();

            Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (var c = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
                TopicPartition tp = new TopicPartition(md.topic(), md.partition());
                c.assign(List.of(tp));
                c.seek(tp, md.offset());
                var rec = c.poll(Duration.ofSeconds(10)).iterator().next();
                assertThat(rec.key()).isEqualTo(key);
                Map<String, String> headers = new java.util.HashMap<>();
                rec.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                assertThat(headers).containsEntry(CloudEventHeaders.SPEC_VERSION, "1.0")
                        .containsEntry(CloudEventHeaders.TYPE, "io.netplane.node.v1")
                        .containsEntry(CloudEventHeaders.SUBJECT, key)
                        .containsEntry(CloudEventHeaders.SOURCE, "/netplane/test")
                        .containsEntry(CloudEventHeaders.CONTENT_TYPE, "application/json")
                        .containsKeys(CloudEventHeaders.ID, CloudEventHeaders.TIME);
            }
        }
        Map<String, ContractEvent> seen = new ConcurrentHashMap<>();
        try (SnapshotFollower f = new SnapshotFollower(kafka.bootstrapServers(), "t2", List.of(Topics.NODES),
                (t, k, v) -> { if (v != null) seen.put(k, v); }).start()) {
            assertThat(f.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(seen).containsKey(key).doesNotContainKey(key + "-bad");
            assertThat(f.malformedCount()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aBrokerThatAnswersOnlyLaterIsWaitedFor(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;
        Map<String, ContractEvent> state = new ConcurrentHashMap<>();
        EventHandler handler = (topic, key, value) -> state.put(key, value);
        try (SnapshotFollower f = new SnapshotFollower(bootstrap, "late-broker", List.of(Topics.NODES), handler).start()) {
            // longer than one metadata fetch (5 s): the first attempts time out with nothing listening
            assertThat(f.awaitCaughtUp(Duration.ofSeconds(7))).isFalse();
            try (KafkaBroker broker = KafkaBroker.start(dir, port)) {
                broker.createTopics(List.of(Topics.NODES));
                try (EventPublisher pub = new EventPublisher(broker.bootstrapServers(), "/netplane/test", Clock.systemUTC())) {
                    pub.publish(Topics.NODES, node("late-node", "1")).get();
                }
                assertThat(f.awaitCaughtUp(Duration.ofSeconds(60))).as("caught up once the broker answered").isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> state.containsKey("late-node"));
            }
        }
    }
}
