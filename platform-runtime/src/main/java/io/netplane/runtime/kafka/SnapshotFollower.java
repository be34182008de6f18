package io.netplane.runtime.kafka;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EventJson;
import io.netplane.api.events.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Snapshot, then follow": reads the given topics from the beginning up to the end offsets taken at start,
 * signals caught-up, then streams further changes. No consumer group: every instance reads everything,
 * which is what a node proxy or a DNS replica needs. A malformed value is logged with its key, counted and
 * skipped; it never stops the stream.
 */
public final class SnapshotFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFollower.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Topic<?>> topics = new HashMap<>();
    private final EventHandler handler;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public SnapshotFollower(String bootstrapServers, String clientId, List<Topic<?>> topics, EventHandler handler) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        topics.forEach(t -> this.topics.put(t.name(), t));
        this.handler = handler;
        this.thread = new Thread(this::run, "snapshot-follower-" + clientId);
        this.thread.setDaemon(true);
    }

    public SnapshotFollower start() {
        thread.start();
        return this;
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Values that could not be decoded and were skipped. */
    public long malformedCount() {
        return malformed.get();
    }

    public long consumedCount() {
        return consumed.get();
    }

    private void run() {
        try {
            Map<TopicPartition, Long> end = assignFromBeginning();
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    deliver(r);
                }
                if (!isCaughtUp() && reached(end)) {
                    try {
                        handler.onCaughtUp();
                    } finally {
                        // after the handler: whoever awaits the snapshot finds what onCaughtUp did done
                        caughtUp.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("snapshot follower stopped", e);
        } finally {
            consumer.close();
        }
    }

    /**
     * Assigns every partition from its beginning and returns the end offsets to catch up to. A broker that does
     * not answer yet (starting, restarting, unreachable for a while) is waited for, not given up on: the follower
     * is what makes its service ready.
     */
    private Map<TopicPartition, Long> assignFromBeginning() {
        while (running) {
            try {
                List<TopicPartition> partitions = waitForPartitions();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                return new HashMap<>(consumer.endOffsets(partitions));
            } catch (RetriableException e) {
                LOG.warn("Kafka does not answer yet ({}); retrying", e.getMessage());
                sleep(1000);
            }
        }
        throw new WakeupException();
    }

    private List<TopicPartition> waitForPartitions() {
        while (running) {
            List<TopicPartition> all = new ArrayList<>();
            boolean missing = false;
            for (String t : topics.keySet()) {
                List<PartitionInfo> infos = consumer.partitionsFor(t, Duration.ofSeconds(5));
                if (infos == null || infos.isEmpty()) {
                    missing = true;
                    LOG.warn("topic {} does not exist yet; waiting", t);
                    break;
                }
                infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
            }
            if (!missing) {
                return all;
            }
            sleep(1000);
        }
        throw new WakeupException();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        return end.isEmpty();
    }

    private void deliver(ConsumerRecord<String, byte[]> r) {
        Topic<?> topic = topics.get(r.topic());
        ContractEvent value = null;
        if (r.value() != null) {
            try {
                value = EventJson.read(r.value(), topic.valueType());
            } catch (IllegalArgumentException e) {
                malformed.incrementAndGet();
                LOG.warn("skipping malformed value on {} key {}: {}", r.topic(), r.key(), e.getMessage());
                return;
            }
        }
        consumed.incrementAndGet();
        try {
            handler.onEvent(topic, r.key(), value);
        } catch (RuntimeException e) {
            LOG.error("handler failed on {} key {}; continuing", r.topic(), r.key(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
