package io.netplane.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One broker per test JVM, started on first use on a free loopback port and stopped when the JVM exits. */
public final class SharedKafka {
    private static KafkaBroker broker;

    private SharedKafka() {
    }

    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("netplane-kafka-");
                long t0 = System.nanoTime();
                broker = KafkaBroker.start(dir, 0);
                System.out.printf("[netplane-test] Kafka broker on %s started in %d ms%n",
                        broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
                KafkaBroker started = broker;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return broker;
    }

    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }
}
