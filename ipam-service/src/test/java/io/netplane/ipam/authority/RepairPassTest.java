package io.netplane.ipam.authority;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.Cidr;
import io.netplane.ipam.family.ServiceFields;
import io.netplane.ipam.plan.ServiceAllocator;
import io.netplane.ipam.plan.ServicePort;
import io.netplane.ipam.plan.ServiceRequest;
import io.netplane.ipam.range.NodePortRange;
import io.netplane.ipam.range.PortRange;
import io.netplane.ipam.range.ServiceIpRange;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.ipam.store.MemoryAllocationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The repair loop: adopt, report conflicts, release leaks only after the grace period, release orphans. */
class RepairPassTest {
    AddressAuthority authority;
    RepairPass repair;
    static final Duration GRACE = Duration.ofSeconds(30);
    static final ObjectRef WEB = new ObjectRef("Service", "shop", "web", "u1");
    static final ObjectRef API = new ObjectRef("Service", "shop", "api", "u2");

    @BeforeEach
    void setUp() {
        Random r = new Random(4);
        authority = new AddressAuthority(new ServiceAllocator(List.of(new ServiceIpRange(Cidr.parse("10.96.0.0/24"), r)),
                new NodePortRange(PortRange.DEFAULT_NODE_PORTS, r)), new MemoryAllocationStore(Clock.systemUTC()),
                AllocationSink.NONE);
        repair = new RepairPass(authority, GRACE);
    }

    static ServiceRequest nodePort(String ip, int port) {
        return ServiceRequest.of(new ServiceFields("NodePort", ip, List.of(ip), List.of("IPv4"), "SingleStack", true),
                List.of(new ServicePort("http", "TCP", 80, port)));
    }

    @Test
    void adoptsWhatTheApiServerAllocatedByItself() {
        RepairPass.Result r = repair.service(WEB, nodePort("10.96.0.7", 30007), Instant.now());
        assertThat(r.adopted()).isEqualTo(2);
        assertThat(authority.ownedBy(WEB)).extracting(AllocationRecord::value)
                .containsExactlyInAnyOrder("10.96.0.7", "30007");
        assertThat(authority.services().range(io.netplane.api.net.IpFamily.IPv4).used()).as("marked in memory")
                .isEqualTo(1);
        assertThat(repair.service(WEB, nodePort("10.96.0.7", 30007), Instant.now()).adopted()).isZero();
    }

    @Test
    void aValueRecordedForAnotherServiceIsAConflict() {
        repair.service(WEB, nodePort("10.96.0.7", 30007), Instant.now());
        RepairPass.Result r = repair.service(API, nodePort("10.96.0.7", 30008), Instant.now());
        assertThat(r.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.value()).isEqualTo("10.96.0.7");
            assertThat(c.message()).contains("recorded for Service shop/web");
        });
        assertThat(r.adopted()).as("its node port is still adopted").isEqualTo(1);
    }

    @Test
    void leaksAreReleasedOnlyAfterTheGracePeriod() {
        repair.service(WEB, nodePort("10.96.0.7", 30007), Instant.now());
        ServiceRequest nowClusterIp = ServiceRequest.of(new ServiceFields("ClusterIP", "10.96.0.7",
                List.of("10.96.0.7"), List.of("IPv4"), "SingleStack", true), List.of(new ServicePort("http", "TCP", 80, 0)));
        assertThat(repair.service(WEB, nowClusterIp, Instant.now()).released()).as("within grace").isZero();
        assertThat(repair.service(WEB, nowClusterIp, Instant.now().plus(GRACE).plusSeconds(1)).released())
                .isEqualTo(1);
        assertThat(authority.ownedBy(WEB)).extracting(AllocationRecord::value).containsExactly("10.96.0.7");
        assertThat(authority.services().nodePorts().has(30007)).isFalse();
    }

    @Test
    void deletedServicesAndOrphansAreReleased() {
        repair.service(WEB, nodePort("10.96.0.7", 30007), Instant.now());
        repair.service(API, nodePort("10.96.0.8", 30008), Instant.now());
        assertThat(repair.service(WEB, null, Instant.now()).released()).as("delete: no grace").isEqualTo(2);
        RepairPass.Result full = repair.all(Map.of(), Instant.now().plus(GRACE).plusSeconds(1));
        assertThat(full.released()).as("api's Service is gone").isEqualTo(2);
        assertThat(authority.store().list()).isEmpty();
    }
}
