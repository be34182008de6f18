package io.netplane.ipam.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.Cidr;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.AllocationSink;
import io.netplane.ipam.authority.RepairPass;
import io.netplane.ipam.crd.Allocation;
import io.netplane.ipam.family.ServiceFields;
import io.netplane.ipam.plan.ServiceAllocator;
import io.netplane.ipam.plan.ServicePlan;
import io.netplane.ipam.plan.ServiceRequest;
import io.netplane.ipam.range.NodePortRange;
import io.netplane.ipam.range.PortRange;
import io.netplane.ipam.range.ServiceIpRange;
import io.netplane.ipam.store.AllocationStore;
import io.netplane.ipam.store.KubernetesAllocationStore;
import io.netplane.ipam.store.MemoryAllocationStore;
import io.netplane.testing.kube.SharedKubeApiServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ipam-service benchmark: allocations per second (bare range, through the authority with the memory store, and with
 * the Kubernetes store against a real kube-apiserver), single-threaded and concurrent; memory of a full /12 IPv4 and
 * /108 IPv6 range; time to repair 10k allocations. Args: allocations, threads, repairSize, kubeAllocations (0 = skip).
 */
public final class IpamBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int repairSize = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int kubeN = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        System.out.printf("ipam-service benchmark: %d allocations, %d threads, repair of %d, %d via the API server%n",
                n, threads, repairSize, kubeN);

        double bare = bareRange(n);
        System.out.printf("bare /12 range, allocateNext:             %,12.0f allocations/s (peer = 1.00)%n", bare);
        serviceAdmissions(Math.min(n, 50_000), threads, memoryStore()); // JIT warm-up, not measured
        double single = serviceAdmissions(n, 1, memoryStore());
        System.out.printf("Service admission, memory store, 1 thread:%,12.0f allocations/s (%.2f x bare)%n", single,
                single / bare);
        double concurrent = serviceAdmissions(n, threads, memoryStore());
        System.out.printf("Service admission, memory store, %d threads:%,10.0f allocations/s (%.2f x 1 thread)%n",
                threads, concurrent, concurrent / single);

        memory();
        repair(repairSize);
        if (kubeN > 0) {
            kubernetes(kubeN, threads, single);
        }
        System.exit(0);
    }

    static AllocationStore memoryStore() {
        return new MemoryAllocationStore(Clock.systemUTC());
    }

    static ServiceAllocator allocator() {
        SplittableRandom seed = new SplittableRandom(42);
        return new ServiceAllocator(List.of(new ServiceIpRange(Cidr.parse("10.96.0.0/12"), seed.split())),
                new NodePortRange(PortRange.DEFAULT_NODE_PORTS, seed.split()));
    }

    static double bareRange(int n) {
        ServiceIpRange r = new ServiceIpRange(Cidr.parse("10.96.0.0/12"), new SplittableRandom(1));
        for (int i = 0; i < 10_000; i++) {
            r.allocateNext();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.allocateNext();
        }
        return n / seconds(t0);
    }

    static double serviceAdmissions(int n, int threads, AllocationStore store) throws Exception {
        AddressAuthority a = new AddressAuthority(allocator(), store, AllocationSink.NONE);
        ServiceRequest req = ServiceRequest.of(new ServiceFields("ClusterIP", "", List.of(), List.of(), null, true),
                List.of());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    ServicePlan p = a.admit(req, null, new ObjectRef("Service", "bench", "svc-" + i, null));
                    if (!p.ok()) {
                        throw new IllegalStateException(p.errors().toString());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double rate = n / seconds(t0);
        pool.shutdown();
        return rate;
    }

    static void memory() {
        for (String cidr : List.of("10.96.0.0/12", "fd00::/108")) {
            settle();
            long before = usedHeap();
            ServiceIpRange r = new ServiceIpRange(Cidr.parse(cidr), new SplittableRandom(3));
            while (r.free() > 0) {
                r.allocateNext();
            }
            settle();
            long after = usedHeap();
            java.lang.ref.Reference.reachabilityFence(r);
            System.out.printf("memory, full %-13s %,9d usable addresses: bitmap %,9d bytes (%.3f bits/address)"
                    + "; used-heap delta %,d bytes (GC-noisy)%n", cidr + ":", r.size(), r.bitmapBytes(),
                    r.bitmapBytes() * 8.0 / r.size(), after - before);
            if (r.used() != r.size()) {
                throw new IllegalStateException("range not full");
            }
        }
        System.out.println("  (an IPv6 range is capped at its first 2^16 addresses, as in kube-apiserver)");
    }

    static void repair(int size) {
        AllocationStore store = memoryStore();
        AddressAuthority a = new AddressAuthority(allocator(), store, AllocationSink.NONE);
        Map<ObjectRef, ServiceRequest> services = new HashMap<>();
        for (int i = 0; i < size; i++) {
            String ip = Cidr.parse("10.96.0.0/12").addressAt(java.math.BigInteger.valueOf(i + 1)).toString();
            services.put(new ObjectRef("Service", "bench", "svc-" + i, null), ServiceRequest.of(
                    new ServiceFields("ClusterIP", ip, List.of(ip), List.of("IPv4"), "SingleStack", true), List.of()));
        }
        RepairPass repair = new RepairPass(a, Duration.ZERO);
        long t0 = System.nanoTime();
        RepairPass.Result adopt = repair.all(services, Instant.now());
        double adoptMs = seconds(t0) * 1000;
        t0 = System.nanoTime();
        RepairPass.Result steady = repair.all(services, Instant.now());
        double steadyMs = seconds(t0) * 1000;
        t0 = System.nanoTime();
        RepairPass.Result release = repair.all(Map.of(), Instant.now());
        double releaseMs = seconds(t0) * 1000;
        System.out.printf("repair %,d allocations (memory store): adopt %,.0f ms (%d adopted), steady pass %,.0f ms, "
                + "release of leaks %,.0f ms (%d released)%n", size, adoptMs, adopt.adopted(), steadyMs, releaseMs,
                release.released());
        if (adopt.adopted() != size || release.released() != size || steady.adopted() != 0) {
            throw new IllegalStateException("repair did not do what it should: " + adopt + " " + release);
        }
    }

    static void kubernetes(int n, int threads, double memorySingle) throws Exception {
        var server = SharedKubeApiServer.server();
        try (KubernetesClient client = server.newClient()) {
            KubernetesAllocationStore store = new KubernetesAllocationStore(client);
            store.list();
            double single = serviceAdmissions(n, 1, store);
            System.out.printf("Service admission, Kubernetes store, 1 thread:  %,8.0f allocations/s (%.4f x memory)%n",
                    single, single / memorySingle);
            client.resources(Allocation.class).delete();
            store.close();
            KubernetesAllocationStore store2 = new KubernetesAllocationStore(client);
            store2.list();
            double conc = serviceAdmissions(n, threads, store2);
            System.out.printf("Service admission, Kubernetes store, %d threads: %,8.0f allocations/s (%.2f x 1 thread)%n",
                    threads, conc, conc / single);
            store2.close();
        }
    }

    static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
