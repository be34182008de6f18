package io.netplane.ipam.server;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.Cidr;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.AllocationSink;
import io.netplane.ipam.config.IpamConfig;
import io.netplane.ipam.kafka.KafkaAllocationSink;
import io.netplane.ipam.plan.ServiceAllocator;
import io.netplane.ipam.range.NodePortRange;
import io.netplane.ipam.range.PortRange;
import io.netplane.ipam.range.ServiceIpRange;
import io.netplane.ipam.store.AllocationStore;
import io.netplane.ipam.store.KubernetesAllocationStore;
import io.netplane.ipam.store.MemoryAllocationStore;
import io.netplane.runtime.kafka.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Produces the one {@link AddressAuthority} of this process from {@link IpamConfig}. */
@ApplicationScoped
public class AuthorityProducer {
    public static final String SOURCE = "/netplane/ipam-service";

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

    @Produces
    @Singleton
    AllocationStore store(IpamConfig config, Instance<KubernetesClient> client, Clock clock) {
        return switch (config.store()) {
            case "memory" -> new MemoryAllocationStore(clock);
            case "kubernetes" -> new KubernetesAllocationStore(client.get());
            default -> throw new IllegalArgumentException("netplane.ipam.store must be kubernetes or memory, not "
                    + config.store());
        };
    }

    void closeStore(@Disposes AllocationStore store) {
        if (store instanceof KubernetesAllocationStore k) {
            k.close();
        }
    }

    @Produces
    @Singleton
    AddressAuthority authority(IpamConfig config, AllocationStore store, Instance<EventPublisher> publisher,
            Instance<KubernetesClient> client, Clock clock) {
        SecureRandom random = new SecureRandom();
        List<ServiceIpRange> ranges = config.serviceCidrs().stream()
                .map(c -> new ServiceIpRange(Cidr.parseStrict(c.strip()), random)).toList();
        ServiceAllocator services = new ServiceAllocator(ranges,
                new NodePortRange(PortRange.parse(config.nodePortRange()), random), random);
        AllocationSink sink = config.publish() ? new KafkaAllocationSink(publisher.get(), clock) : AllocationSink.NONE;
        AddressAuthority authority = "kubernetes".equals(config.store())
                ? new AddressAuthority(services, store, sink, owner -> serviceGone(client.get(), owner))
                : new AddressAuthority(services, store, sink);
        authority.resync();
        return authority;
    }

    /** The Service is not in the API (or is a new one under the same name); false when the API cannot tell. */
    static boolean serviceGone(KubernetesClient client, ObjectRef owner) {
        try {
            Service live = client.services().inNamespace(owner.namespace()).withName(owner.name()).get();
            return live == null || (owner.uid() != null && !owner.uid().isEmpty()
                    && !owner.uid().equals(live.getMetadata().getUid()));
        } catch (KubernetesClientException e) {
            return false;
        }
    }
}
