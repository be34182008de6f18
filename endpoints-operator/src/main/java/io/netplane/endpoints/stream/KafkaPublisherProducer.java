package io.netplane.endpoints.stream;

import io.netplane.runtime.kafka.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one {@link EventPublisher} of this service and the clock every observedAt comes from. */
@ApplicationScoped
public class KafkaPublisherProducer {
    public static final String SOURCE = "/netplane/endpoints-operator";

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    EventPublisher publisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Clock clock) {
        return new EventPublisher(bootstrapServers, SOURCE, clock);
    }

    void close(@Disposes EventPublisher publisher) {
        publisher.close();
    }
}
