package io.netplane.testing.kafka;

import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.testing.process.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), run in this JVM.
 * Tests get one through {@link SharedKafka}; {@code main} runs one as a local process for local runs.
 */
public final class KafkaBroker implements AutoCloseable {
    /** Partitions per contract topic: more than one, so consumers are exercised across partitions. */
    public static final int PARTITIONS = 3;

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats {@code dataDir} if needed and starts a broker.
     *
     * @param port the client port, or 0 for a free one
     */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, "127.0.0.1", port);
    }

    /**
     * Formats {@code dataDir} if needed and starts a broker whose client listener is on {@code host} (the controller
     * listener stays on loopback).
     */
    public static KafkaBroker start(Path dataDir, String host, int port) {
        try {
            Files.createDirectories(dataDir);
            int clientPort = port == 0 ? FreePorts.next() : port;
            int controllerPort = FreePorts.next();
            String dir = dataDir.toAbsolutePath().toString();
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.put("listeners", "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("log.dirs", dir);
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "false");
            p.put("num.partitions", String.valueOf(PARTITIONS));
            p.put("log.cleaner.backoff.ms", "1000");
            KafkaConfig config = new KafkaConfig(p, false);
            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                format(dir);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            KafkaBroker broker = new KafkaBroker(server, host + ":" + clientPort);
            broker.createTopics(Topics.ALL);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void format(String dir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setDirectories(Set.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName("CONTROLLER")
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setUnstableFeatureVersionsEnabled(false)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dir, e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics (log-compacted, {@link #PARTITIONS} partitions); existing ones are left alone. */
    public void createTopics(List<Topic<?>> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> wanted = topics.stream()
                    .map(t -> new NewTopic(t.name(), PARTITIONS, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0")))
                    .collect(Collectors.toList());
            for (var f : admin.createTopics(wanted).values().values()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topics", e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /**
     * Runs a broker as a local process: {@code KafkaBroker <port> <data-dir> [<host>]} (host 127.0.0.1 by default);
     * stops on SIGTERM.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        Path dir = Path.of(args.length > 1 ? args[1] : System.getProperty("user.home") + "/.local/state/netplane/kafka");
        String host = args.length > 2 ? args[2] : "127.0.0.1";
        KafkaBroker broker = start(dir, host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        System.out.println("Kafka (KRaft) listening on " + broker.bootstrapServers() + ", data in " + dir
                + ", topics: " + Topics.ALL);
        Thread.currentThread().join();
    }
}
