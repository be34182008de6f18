package io.netplane.ipam.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.Cidr;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.AllocationSink;
import io.netplane.ipam.authority.RequestRejected;
import io.netplane.ipam.crd.Allocation;
import io.netplane.ipam.family.ServiceFields;
import io.netplane.ipam.plan.ServiceAllocator;
import io.netplane.ipam.plan.ServicePlan;
import io.netplane.ipam.plan.ServicePort;
import io.netplane.ipam.plan.ServiceRequest;
import io.netplane.ipam.range.NodePortRange;
import io.netplane.ipam.range.PortRange;
import io.netplane.ipam.range.ServiceIpRange;
import io.netplane.ipam.store.KubernetesAllocationStore;
import io.netplane.testing.kube.KubeApiServer;
import io.netplane.testing.kube.KubeApiServerExtension;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two ipam-service instances (each its own client, informer and memory) allocating at once from the same small
 * ranges in one real API server, with many threads each: no value is ever granted twice, and a restarted instance
 * starts from what is recorded. Owners are of a kind the running app's repair loop leaves alone.
 */
@ExtendWith(KubeApiServerExtension.class)
class TwoInstancesIT {
    static final String PORTS = "31000-31063";
    static final String CIDR = "10.96.240.0/26"; // 62 usable addresses

    final List<KubernetesAllocationStore> stores = new ArrayList<>();
    final List<KubernetesClient> clients = new ArrayList<>();

    AddressAuthority instance(KubeApiServer server) {
        KubernetesClient client = server.newClient();
        clients.add(client);
        KubernetesAllocationStore store = new KubernetesAllocationStore(client);
        stores.add(store);
        SecureRandom random = new SecureRandom();
        ServiceAllocator services = new ServiceAllocator(
                List.of(new ServiceIpRange(Cidr.parse(CIDR), random)),
                new NodePortRange(PortRange.parse(PORTS), random));
        AddressAuthority a = new AddressAuthority(services, store, AllocationSink.NONE);
        store.list(); // starts and syncs the informer
        a.resync();
        return a;
    }

    @BeforeEach
    @AfterEach
    void clean(KubernetesClient client) {
        client.resources(Allocation.class).withLabel("netplane.io/allocation-kind", "External").delete();
        client.resources(Allocation.class).withLabel("netplane.io/owner-namespace", "two-instances").delete();
        org.awaitility.Awaitility.await().until(() -> client.resources(Allocation.class)
                .withLabel("netplane.io/owner-namespace", "two-instances").list().getItems().isEmpty());
    }

    @AfterEach
    void close() {
        stores.forEach(KubernetesAllocationStore::close);
        clients.forEach(KubernetesClient::close);
    }

    @Test
    void everyPortOfTheRangeIsGrantedExactlyOnceAcrossTwoInstances(KubeApiServer server) throws Exception {
        AddressAuthority a = instance(server);
        AddressAuthority b = instance(server);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            AddressAuthority which = i % 2 == 0 ? a : b;
            String key = "port-" + i;
            calls.add(() -> which.allocateExternal(key, "node-ports", null).value());
        }
        List<String> got = runAll(calls, 16);
        assertThat(new HashSet<>(got)).as("64 distinct ports").hasSize(64);

        assertThatThrownBy(() -> a.allocateExternal("one-too-many", "node-ports", null))
                .isInstanceOf(RequestRejected.class);

        AddressAuthority restarted = instance(server);
        assertThat(restarted.usage()).filteredOn(u -> u.name().equals("node-ports"))
                .singleElement().satisfies(u -> assertThat(u.used()).isEqualTo(64));
        assertThatThrownBy(() -> restarted.allocateExternal("after-restart", "node-ports", null))
                .isInstanceOf(RequestRejected.class);
    }

    @Test
    void concurrentServiceAdmissionsOnTwoInstancesNeverShareAnAddress(KubeApiServer server) throws Exception {
        AddressAuthority a = instance(server);
        AddressAuthority b = instance(server);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            AddressAuthority which = i % 2 == 0 ? a : b;
            ObjectRef owner = new ObjectRef("TestService", "two-instances", "svc-" + i, null);
            ServiceRequest req = ServiceRequest.of(new ServiceFields("NodePort", "", List.of(), List.of(), null, true),
                    List.of(new ServicePort("http", "TCP", 80, 0)));
            calls.add(() -> {
                ServicePlan p = which.admit(req, null, owner);
                assertThat(p.errors()).isEmpty();
                return p.service().fields().clusterIP() + "|" + p.service().ports().get(0).nodePort();
            });
        }
        List<String> got = runAll(calls, 12);
        Set<String> ips = new HashSet<>();
        Set<String> ports = new HashSet<>();
        for (String g : got) {
            ips.add(g.split("\\|")[0]);
            ports.add(g.split("\\|")[1]);
        }
        assertThat(ips).hasSize(40);
        assertThat(ports).hasSize(40);
        try (KubernetesClient direct = server.newClient()) {
            assertThat(direct.resources(Allocation.class).withLabel("netplane.io/owner-namespace", "two-instances")
                    .list().getItems()).as("one record per address and port in the API server").hasSize(80);
        }
    }

    static List<String> runAll(List<Callable<String>> calls, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> futures = pool.invokeAll(calls);
            List<String> out = Collections.synchronizedList(new ArrayList<>());
            for (Future<String> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }
}
