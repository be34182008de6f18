package io.netplane.ipam.kafka;

import io.netplane.api.events.Topics;
import io.netplane.ipam.authority.AllocationSink;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.runtime.kafka.EventPublisher;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Every record created is published as an {@code AllocationView} keyed by the record name, every record deleted as a
 * tombstone; called after the durable write succeeded. The version is the stored object's resourceVersion.
 */
public final class KafkaAllocationSink implements AllocationSink {
    private static final Logger LOG = Logger.getLogger(KafkaAllocationSink.class);
    private final EventPublisher publisher;
    private final Clock clock;

    public KafkaAllocationSink(EventPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void created(AllocationRecord r) {
        String version = r.version() != null ? r.version()
                : r.createdAt() == null ? "0" : Long.toString(r.createdAt().toEpochMilli());
        publisher.publish(Topics.ALLOCATIONS, r.toView(version, clock.instant()))
                .whenComplete((m, e) -> {
                    if (e != null) {
                        LOG.warnf(e, "publishing allocation %s failed", r.name());
                    }
                });
    }

    @Override
    public void deleted(AllocationRecord r) {
        publisher.tombstone(Topics.ALLOCATIONS, r.name()).whenComplete((m, e) -> {
            if (e != null) {
                LOG.warnf(e, "publishing the release of %s failed", r.name());
            }
        });
    }
}
