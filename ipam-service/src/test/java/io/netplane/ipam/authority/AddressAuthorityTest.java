package io.netplane.ipam.authority;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.Cidr;
import io.netplane.ipam.family.ServiceFields;
import io.netplane.ipam.plan.ServiceAllocator;
import io.netplane.ipam.plan.ServicePlan;
import io.netplane.ipam.plan.ServicePort;
import io.netplane.ipam.plan.ServiceRequest;
import io.netplane.ipam.range.NodePortRange;
import io.netplane.ipam.range.PortRange;
import io.netplane.ipam.range.ServiceIpRange;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.ipam.store.AllocationStore;
import io.netplane.ipam.store.MemoryAllocationStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim protocol when another replica holds values this replica's memory does not know yet: the durable map
 * decides, automatic allocation moves on, a requested value is refused with its field path, nothing leaks.
 */
class AddressAuthorityTest {
    /** A store whose watch is silent, like a replica that has not seen the other's writes yet. */
    static final class LaggingStore implements AllocationStore {
        final MemoryAllocationStore inner = new MemoryAllocationStore(Clock.systemUTC());
        final List<Listener> ignored = new ArrayList<>();

        @Override
        public Created createIfAbsent(AllocationRecord r) {
            return inner.createIfAbsent(r);
        }

        @Override
        public boolean delete(String name) {
            return inner.delete(name);
        }

        @Override
        public Optional<AllocationRecord> get(String name) {
            return inner.get(name);
        }

        @Override
        public List<AllocationRecord> list() {
            return inner.list();
        }

        @Override
        public void watch(Listener listener) {
            ignored.add(listener);
        }
    }

    static final ObjectRef OTHER = new ObjectRef("Service", "other", "replica", null);
    LaggingStore store;
    AddressAuthority authority;

    @BeforeEach
    void setUp() {
        store = new LaggingStore();
        Random r = new Random(9);
        authority = new AddressAuthority(new ServiceAllocator(
                List.of(new ServiceIpRange(Cidr.parse("10.0.0.0/29"), r)), // .1-.6
                new NodePortRange(PortRange.parse("30000-30003"), r)), store, AllocationSink.NONE);
    }

    void heldElsewhere(String ip) {
        store.createIfAbsent(new AllocationRecord(AllocationNames.address(io.netplane.api.net.IpAddress.parse(ip)),
                "ClusterIP", ip, "IPv4", "service-IPv4", OTHER, null));
    }

    static ServiceRequest clusterIp(String ip) {
        List<String> ips = ip == null ? List.of() : List.of(ip);
        return ServiceRequest.of(new ServiceFields("ClusterIP", ip, ips, List.of(), null, true), List.of());
    }

    @Test
    void automaticAllocationSkipsValuesAnotherReplicaHolds() {
        for (String ip : List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5")) {
            heldElsewhere(ip);
        }
        ServicePlan p = authority.admit(clusterIp(null), null, new ObjectRef("Service", "ns", "mine", null));
        assertThat(p.errors()).isEmpty();
        assertThat(p.service().fields().clusterIP()).isEqualTo("10.0.0.6");
        assertThat(store.get(AllocationNames.address(io.netplane.api.net.IpAddress.parse("10.0.0.6"))).orElseThrow()
                .owner().name()).isEqualTo("mine");
        assertThat(store.list()).hasSize(6);
    }

    @Test
    void requestedValueHeldElsewhereIsRefusedAndNothingElseStays() {
        heldElsewhere("10.0.0.3");
        ServiceRequest req = ServiceRequest.of(new ServiceFields("NodePort", "10.0.0.3", List.of("10.0.0.3"),
                List.of(), null, true), List.of(new ServicePort("a", "TCP", 80, 0)));
        ServicePlan p = authority.admit(req, null, new ObjectRef("Service", "ns", "mine", null));
        assertThat(p.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("spec.clusterIPs");
            assertThat(e.detail()).contains("provided IP is already allocated");
        });
        assertThat(store.list()).as("only the other replica's record").hasSize(1);
        assertThat(authority.services().nodePorts().used()).as("node port rolled back").isZero();
    }

    @Test
    void fullWhenEveryValueIsHeldElsewhere() {
        for (int i = 1; i <= 6; i++) {
            heldElsewhere("10.0.0." + i);
        }
        ServicePlan p = authority.admit(clusterIp(null), null, new ObjectRef("Service", "ns", "mine", null));
        assertThat(p.errors()).isNotEmpty();
        assertThat(store.list()).hasSize(6);
    }

    @Test
    void aServiceCidrAddedLaterKnowsTheAddressesAlreadyGrantedInIt() {
        heldElsewhere("203.0.113.5"); // granted while this replica did not know the ServiceCIDR yet
        ObjectRef mine = new ObjectRef("Service", "ns", "mine", null);
        assertThat(authority.admit(clusterIp("203.0.113.4"), null, mine).errors()).as("not a Service CIDR yet")
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("not in"));

        authority.serviceCidrs(List.of(Cidr.parse("203.0.113.0/29")));
        assertThat(authority.admit(clusterIp("203.0.113.5"), null, mine).errors()).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("provided IP is already allocated"));
        ServicePlan p = authority.admit(clusterIp("203.0.113.4"), null, mine);
        assertThat(p.errors()).isEmpty();
        assertThat(p.service().fields().clusterIP()).isEqualTo("203.0.113.4");
    }

    @Test
    void claimIsIdempotentForTheSameOwner() {
        Pool ports = authority.pool("node-ports").orElseThrow();
        ObjectRef me = new ObjectRef("External", null, "k", null);
        AllocationRecord first = authority.claim(ports, "30002", "External", me);
        AllocationRecord again = authority.claim(ports, "30002", "External", me);
        assertThat(again.name()).isEqualTo(first.name());
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void aServiceRecreatedUnderTheSameNameMayRequestItsPreviousValues() {
        ObjectRef dns = new ObjectRef("Service", "kube-system", "kube-dns", null);
        ServiceRequest req = ServiceRequest.of(new ServiceFields("NodePort", "10.0.0.5", List.of("10.0.0.5"),
                List.of(), null, true), List.of(new ServicePort("dns", "UDP", 53, 30001)));
        assertThat(authority.admit(req, null, dns).errors()).isEmpty();
        // the delete of the first incarnation has not been processed; the same name asks again
        ServicePlan again = authority.admit(req, null, dns);
        assertThat(again.errors()).isEmpty();
        assertThat(again.service().fields().clusterIP()).isEqualTo("10.0.0.5");
        assertThat(store.list()).hasSize(2);
        // anyone else is still refused
        ServicePlan other = authority.admit(req, null, new ObjectRef("Service", "kube-system", "other", null));
        assertThat(other.errors()).singleElement().satisfies(e -> assertThat(e.detail()).contains("already allocated"));
    }

    @Test
    void aNodePortWhoseServiceIsGoneFromTheApiIsFreeBeforeItsDeleteIsProcessed() {
        // upstream's 'should prevent NodePort collisions': delete the first Service, create the second at once
        java.util.Set<ObjectRef> gone = new java.util.HashSet<>();
        authority = new AddressAuthority(authority.services(), store, AllocationSink.NONE, gone::contains);
        ObjectRef first = new ObjectRef("Service", "ns", "collision-1", "uid-1");
        ObjectRef second = new ObjectRef("Service", "ns", "collision-2", null);
        ServiceRequest req = ServiceRequest.of(new ServiceFields("NodePort", null, List.of(), List.of(), null, true),
                List.of(new ServicePort("http", "TCP", 80, 30002)));
        assertThat(authority.admit(req, null, first).errors()).isEmpty();
        assertThat(authority.admit(req, null, second).errors()).as("the first Service still exists")
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("provided port is already allocated"));

        gone.add(first); // deleted in the API; this replica has not seen the delete event yet
        ServicePlan p = authority.admit(req, null, second);
        assertThat(p.errors()).isEmpty();
        assertThat(p.service().ports().get(0).nodePort()).isEqualTo(30002);
        assertThat(store.list()).filteredOn(r -> "30002".equals(r.value())).singleElement()
                .satisfies(r -> assertThat(r.owner()).isEqualTo(second));
    }
}
