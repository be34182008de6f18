package io.netplane.ipam.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.Cidr;
import io.netplane.ipam.family.ServiceFields;
import io.netplane.ipam.range.NodePortRange;
import io.netplane.ipam.range.PortRange;
import io.netplane.ipam.range.ServiceIpRange;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Service create/update allocation as kube-apiserver does it (storage/alloc.go), on a 10.0.0.0/24 + fd00::/120 cluster. */
class ServiceAllocatorTest {
    ServiceAllocator alloc;

    @BeforeEach
    void cluster() {
        alloc = new ServiceAllocator(List.of(
                new ServiceIpRange(Cidr.parse("10.0.0.0/24"), new Random(1)),
                new ServiceIpRange(Cidr.parse("fd00::/120"), new Random(2))),
                new NodePortRange(PortRange.DEFAULT_NODE_PORTS, new Random(3)));
    }

    static ServiceFields fields(String type, String policy, List<String> families, List<String> ips) {
        return new ServiceFields(type, ips.isEmpty() ? "" : ips.get(0), ips, families, policy, true);
    }

    static ServiceRequest svc(String type, List<String> ips, ServicePort... ports) {
        return ServiceRequest.of(fields(type, null, List.of(), ips), List.of(ports));
    }

    static ServicePort tcp(String name, int port, int nodePort) {
        return new ServicePort(name, "TCP", port, nodePort);
    }

    @Test
    void clusterIpFromThePrimaryFamily() {
        ServicePlan p = alloc.create(svc("ClusterIP", List.of(), tcp("http", 80, 0)));
        assertThat(p.errors()).isEmpty();
        String ip = p.service().fields().clusterIP();
        assertThat(ip).startsWith("10.0.0.");
        assertThat(p.service().fields().clusterIPs()).containsExactly(ip);
        assertThat(p.service().fields().ipFamilies()).containsExactly("IPv4");
        assertThat(p.service().ports().get(0).nodePort()).as("ClusterIP gets no node port").isZero();
        assertThat(p.grants()).extracting(Grant::value).containsExactly(ip);
    }

    @Test
    void requestedAddressTakenIsAFieldErrorAndReservesNothing() {
        assertThat(alloc.create(svc("ClusterIP", List.of("10.0.0.10"))).ok()).isTrue();
        ServicePlan p = alloc.create(ServiceRequest.of(
                fields("NodePort", "RequireDualStack", List.of(), List.of("fd00::10", "10.0.0.10")),
                List.of(tcp("a", 80, 0))));
        assertThat(p.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("spec.clusterIPs");
            assertThat(e.detail()).isEqualTo("failed to allocate IP 10.0.0.10: provided IP is already allocated");
        });
        assertThat(alloc.range(io.netplane.api.net.IpFamily.IPv6).used()).as("IPv6 rolled back").isZero();
        assertThat(alloc.nodePorts().used()).isZero();
    }

    @Test
    void requestedAddressOutsideTheRange() {
        ServicePlan p = alloc.create(svc("ClusterIP", List.of("10.1.0.10")));
        assertThat(p.errors()).singleElement().satisfies(e -> assertThat(e.toString()).isEqualTo(
                "spec.clusterIPs: Invalid value: \"[10.1.0.10]\": failed to allocate IP 10.1.0.10: the provided IP "
                        + "(10.1.0.10) is not in the valid range. The range of valid IPs is 10.0.0.0/24"));
    }

    @Test
    void preferDualStackGetsOneAddressPerFamilyInOrder() {
        ServicePlan p = alloc.create(ServiceRequest.of(
                fields("ClusterIP", "PreferDualStack", List.of("IPv6"), List.of()), List.of()));
        assertThat(p.service().fields().ipFamilies()).containsExactly("IPv6", "IPv4");
        assertThat(p.service().fields().clusterIPs()).hasSize(2);
        assertThat(p.service().fields().clusterIPs().get(0)).startsWith("fd00::");
        assertThat(p.service().fields().clusterIPs().get(1)).startsWith("10.0.0.");
    }

    @Test
    void headlessAndExternalNameGetNothing() {
        assertThat(alloc.create(svc("ClusterIP", List.of("None"))).grants()).isEmpty();
        ServicePlan ext = alloc.create(ServiceRequest.of(
                new ServiceFields("ExternalName", "", List.of(), List.of(), null, false), List.of()));
        assertThat(ext.grants()).isEmpty();
        assertThat(ext.service().fields().clusterIPs()).isEmpty();
    }

    @Test
    void samePortNumberOfTwoProtocolsSharesOneNodePort() {
        ServicePlan p = alloc.create(svc("NodePort", List.of(),
                new ServicePort("dns", "UDP", 53, 0), new ServicePort("dns-tcp", "TCP", 53, 0), tcp("x", 80, 0)));
        List<ServicePort> ports = p.service().ports();
        assertThat(ports.get(0).nodePort()).isBetween(30000, 32767).isEqualTo(ports.get(1).nodePort());
        assertThat(ports.get(2).nodePort()).isBetween(30000, 32767).isNotEqualTo(ports.get(0).nodePort());
        assertThat(p.grants()).filteredOn(g -> g.kind().equals(Grant.NODE_PORT)).hasSize(2);
    }

    @Test
    void requestedNodePortTakenIsRejectedWithItsFieldPathAndRollsBack() {
        alloc.create(svc("NodePort", List.of(), tcp("a", 80, 30080)));
        int used = alloc.nodePorts().used();
        ServicePlan p = alloc.create(svc("NodePort", List.of(), tcp("a", 81, 0), tcp("b", 82, 30080)));
        assertThat(p.errors()).singleElement().satisfies(e -> assertThat(e.toString())
                .isEqualTo("spec.ports[1].nodePort: Invalid value: \"30080\": provided port is already allocated"));
        assertThat(alloc.nodePorts().used()).isEqualTo(used);
        assertThat(alloc.range(io.netplane.api.net.IpFamily.IPv4).used()).as("clusterIP rolled back").isEqualTo(1);
    }

    @Test
    void loadBalancerWithoutNodePortsButLocalPolicyGetsAHealthCheckPort() {
        ServiceRequest lb = new ServiceRequest(fields("LoadBalancer", null, List.of(), List.of()),
                List.of(tcp("a", 80, 0)), false, "Local", 0);
        ServicePlan p = alloc.create(lb);
        assertThat(p.service().ports().get(0).nodePort()).isZero();
        assertThat(p.service().healthCheckNodePort()).isBetween(30000, 32767);
    }

    @Test
    void upgradeAllocatesTheSecondaryAndDowngradeReleasesIt() {
        ServiceRequest created = alloc.create(svc("ClusterIP", List.of())).service();
        String primary = created.fields().clusterIP();
        ServicePlan up = alloc.update(ServiceRequest.of(created.fields().withPolicy("RequireDualStack"), List.of()),
                created);
        assertThat(up.errors()).isEmpty();
        assertThat(up.service().fields().clusterIPs()).hasSize(2).startsWith(primary);
        assertThat(up.grants()).singleElement().satisfies(g -> assertThat(g.family()).isEqualTo("IPv6"));

        ServiceRequest dual = up.service();
        ServicePlan down = alloc.update(ServiceRequest.of(dual.fields().withPolicy("SingleStack"), List.of()), dual);
        assertThat(down.errors()).isEmpty();
        assertThat(down.service().fields().clusterIPs()).containsExactly(primary);
        assertThat(down.releases()).extracting(Grant::value).containsExactly(dual.fields().clusterIPs().get(1));
    }

    @Test
    void typeChangesAllocateAndRelease() {
        ServiceRequest np = alloc.create(svc("NodePort", List.of(), tcp("a", 80, 0))).service();
        int nodePort = np.ports().get(0).nodePort();
        ServicePlan toClusterIp = alloc.update(svc("ClusterIP", np.fields().clusterIPs(), tcp("a", 80, nodePort)), np);
        assertThat(toClusterIp.service().ports().get(0).nodePort()).isZero();
        assertThat(toClusterIp.releases()).extracting(Grant::value).containsExactly(Integer.toString(nodePort));

        ServiceRequest cip = toClusterIp.service();
        ServicePlan toExt = alloc.update(ServiceRequest.of(
                new ServiceFields("ExternalName", "", List.of(), List.of(), null, false), List.of()), cip);
        assertThat(toExt.releases()).extracting(Grant::value).containsExactly(cip.fields().clusterIP());

        ServiceRequest ext = toExt.service();
        ServicePlan back = alloc.update(svc("ClusterIP", List.of()), ext);
        assertThat(back.grants()).singleElement().satisfies(g -> assertThat(g.kind()).isEqualTo(Grant.CLUSTER_IP));
    }

    @Test
    void updateThatOmitsAllocatedValuesKeepsThem() {
        ServiceRequest np = alloc.create(svc("NodePort", List.of(), tcp("a", 80, 0))).service();
        ServicePlan p = alloc.update(svc("NodePort", List.of(), tcp("a", 8080, 0)), np);
        assertThat(p.errors()).isEmpty();
        assertThat(p.grants()).isEmpty();
        assertThat(p.releases()).isEmpty();
        assertThat(p.service().fields().clusterIPs()).isEqualTo(np.fields().clusterIPs());
        assertThat(p.service().ports().get(0).nodePort()).isEqualTo(np.ports().get(0).nodePort());
    }

    @Test
    void changingANodePortAllocatesTheNewAndReleasesTheOld() {
        ServiceRequest np = alloc.create(svc("NodePort", List.of(), tcp("a", 80, 30001))).service();
        ServicePlan p = alloc.update(svc("NodePort", np.fields().clusterIPs(), tcp("a", 80, 30002)), np);
        assertThat(p.grants()).extracting(Grant::value).containsExactly("30002");
        assertThat(p.releases()).extracting(Grant::value).containsExactly("30001");
    }

    @Test
    void heldByListsEverythingAStoredServiceHolds() {
        ServiceRequest s = new ServiceRequest(fields("LoadBalancer", "RequireDualStack", List.of("IPv4", "IPv6"),
                List.of("10.0.0.5", "fd00::5")), List.of(tcp("a", 80, 30005), new ServicePort("b", "UDP", 80, 30005)),
                null, "Local", 30006);
        assertThat(ServiceAllocator.heldBy(s)).extracting(Grant::value)
                .containsExactly("10.0.0.5", "fd00::5", "30005", "30006");
    }

    @Test
    void aServiceCidrObjectMakesItsAddressesAllocatableUntilItGoes() {
        ServiceRequest outside = svc("ClusterIP", List.of("203.0.113.10"), tcp("http", 80, 0));
        assertThat(alloc.create(outside).errors()).singleElement().satisfies(e -> assertThat(e.detail())
                .isEqualTo("failed to allocate IP 203.0.113.10: the provided IP (203.0.113.10) is not in the valid"
                        + " range. The range of valid IPs is 10.0.0.0/24"));

        alloc.serviceCidrs(List.of(Cidr.parse("10.0.0.0/24"), Cidr.parse("203.0.113.0/24"),
                Cidr.parse("2001:db8:cb00::/64")));
        ServicePlan p = alloc.create(outside);
        assertThat(p.errors()).isEmpty();
        assertThat(p.service().fields().clusterIPs()).containsExactly("203.0.113.10");
        assertThat(alloc.create(outside).errors()).as("taken once").singleElement()
                .satisfies(e -> assertThat(e.detail()).endsWith("provided IP is already allocated"));
        assertThat(alloc.create(svc("ClusterIP", List.of("2001:db8:cb00::a"))).ok())
                .as("a further IPv6 range").isTrue();

        alloc.serviceCidrs(List.of(Cidr.parse("203.0.113.0/24")));
        assertThat(alloc.create(svc("ClusterIP", List.of("203.0.113.10"))).ok())
                .as("a CIDR kept keeps what it holds").isFalse();
        alloc.serviceCidrs(List.of());
        assertThat(alloc.create(svc("ClusterIP", List.of("203.0.113.11"))).ok()).as("gone with its object").isFalse();
    }

    @Test
    void automaticAllocationMovesToAFurtherCidrOnlyWhenTheConfiguredOneIsFull() {
        alloc.serviceCidrs(List.of(Cidr.parse("192.0.2.0/30")));
        for (int i = 0; i < 254; i++) {
            assertThat(alloc.create(svc("ClusterIP", List.of())).service().fields().clusterIP()).startsWith("10.0.0.");
        }
        assertThat(alloc.create(svc("ClusterIP", List.of())).service().fields().clusterIP())
                .isIn("192.0.2.1", "192.0.2.2");
    }
}
