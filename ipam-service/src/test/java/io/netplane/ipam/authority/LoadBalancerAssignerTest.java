package io.netplane.ipam.authority;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.ObjectRef;
import io.netplane.api.labels.LabelSelector;
import io.netplane.api.net.Cidr;
import io.netplane.ipam.authority.LoadBalancerAssigner.LbService;
import io.netplane.ipam.plan.ServiceAllocator;
import io.netplane.ipam.pools.AddressBlock;
import io.netplane.ipam.pools.PoolDefinition;
import io.netplane.ipam.pools.PoolValidation;
import io.netplane.ipam.range.NodePortRange;
import io.netplane.ipam.range.PortRange;
import io.netplane.ipam.range.ServiceIpRange;
import io.netplane.ipam.store.MemoryAllocationStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LoadBalancer address assignment over pools, with the memory store. */
class LoadBalancerAssignerTest {
    AddressAuthority authority;
    LoadBalancerAssigner lb;
    static final ObjectRef WEB = new ObjectRef("Service", "shop", "web", null);

    @BeforeEach
    void setUp() {
        Random r = new Random(5);
        authority = new AddressAuthority(new ServiceAllocator(List.of(new ServiceIpRange(Cidr.parse("10.96.0.0/16"), r)),
                new NodePortRange(PortRange.DEFAULT_NODE_PORTS, r)), new MemoryAllocationStore(Clock.systemUTC()),
                AllocationSink.NONE);
        lb = new LoadBalancerAssigner(authority, "netplane.io/load-balancer", r);
        lb.setPools(PoolValidation.validate(List.of(
                new PoolDefinition("tiny", "1", List.of("192.0.2.1-192.0.2.2"), null, null),
                new PoolDefinition("v6", "2", List.of("2001:db8::/126"), null, null),
                new PoolDefinition("gold", "3", List.of("198.51.100.0/30"), LabelSelector.of(Map.of("tier", "gold")),
                        null)),
                List.of(AddressBlock.of(Cidr.parse("10.96.0.0/16")))));
    }

    static LbService svc(String type, String cls, List<String> families, List<String> requested,
            Map<String, String> labels) {
        return new LbService(type, cls, families, requested, labels, false);
    }

    @Test
    void oneAddressPerFamilyInFamilyOrder() {
        var out = lb.assign(WEB, svc("LoadBalancer", null, List.of("IPv6", "IPv4"), List.of(), Map.of()), Map.of());
        assertThat(out.ingress()).hasSize(2);
        assertThat(out.ingress().get(0)).startsWith("2001:db8::");
        assertThat(out.ingress().get(1)).startsWith("192.0.2.");
        var again = lb.assign(WEB, svc("LoadBalancer", null, List.of("IPv6", "IPv4"), List.of(), Map.of()), Map.of());
        assertThat(again.ingress()).as("stable").isEqualTo(out.ingress());
    }

    @Test
    void requestedAddressIsHonouredAndSelectorsApply() {
        var out = lb.assign(WEB, svc("LoadBalancer", null, List.of("IPv4"), List.of("198.51.100.2"),
                Map.of("tier", "gold")), Map.of());
        assertThat(out.ingress()).containsExactly("198.51.100.2");
        var other = lb.assign(new ObjectRef("Service", "shop", "api", null), svc("LoadBalancer", null,
                List.of("IPv4"), List.of("198.51.100.3"), Map.of()), Map.of());
        assertThat(other.ingress()).isEmpty();
        assertThat(other.warnings()).singleElement().asString().contains("not in any pool that selects");
    }

    @Test
    void otherClassesAndTypesGetNothingAndTypeChangeReleases() {
        assertThat(lb.assign(WEB, svc("LoadBalancer", "example.com/other", List.of(), List.of(), Map.of()), Map.of())
                .ingress()).isEmpty();
        assertThat(lb.assign(WEB, svc("LoadBalancer", "netplane.io/load-balancer", List.of(), List.of(), Map.of()),
                Map.of()).ingress()).hasSize(1);
        assertThat(authority.ownedBy(WEB)).hasSize(1);
        lb.assign(WEB, svc("ClusterIP", null, List.of(), List.of(), Map.of()), Map.of());
        assertThat(authority.ownedBy(WEB)).isEmpty();
    }

    @Test
    void exhaustedPoolIsReported() {
        for (String n : List.of("a", "b")) {
            assertThat(lb.assign(new ObjectRef("Service", "x", n, null),
                    svc("LoadBalancer", null, List.of(), List.of(), Map.of()), Map.of()).ingress()).hasSize(1);
        }
        var out = lb.assign(new ObjectRef("Service", "x", "c", null),
                svc("LoadBalancer", null, List.of(), List.of(), Map.of()), Map.of());
        assertThat(out.ingress()).isEmpty();
        assertThat(out.exhaustedPools()).containsExactly("tiny");
        assertThat(out.warnings()).singleElement().asString().contains("no free IPv4 address");
    }
}
