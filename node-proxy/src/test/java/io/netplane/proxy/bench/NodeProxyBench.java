package io.netplane.proxy.bench;

import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import io.netplane.proxy.fixtures.NetnsLab;
import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.NodeTopology;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import io.netplane.proxy.nft.AppliedTable;
import io.netplane.proxy.nft.FragmentRenderer;
import io.netplane.proxy.nft.NftFamily;
import io.netplane.proxy.nft.RenderSettings;
import io.netplane.proxy.nft.ServiceFragment;
import io.netplane.proxy.nft.TableSpec;
import io.netplane.proxy.sync.NftApplier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark (run by bench/node-proxy.sh, not a test): full render+apply of N Services x M endpoints into a
 * table inside a network namespace, a one-Service change and a one-Service addition at that size, ruleset
 * size, resident memory, then TCP connection rate and latency through a ClusterIP vs straight to the backend.
 */
public final class NodeProxyBench {
    static final TableSpec SPEC = new TableSpec(NftFamily.IP, "netplane-proxy", null, List.of("10.96.0.0/12"), 0x4000,
            List.of(NetnsLab.CLUSTER_CIDR), false);
    static final RenderSettings SETTINGS =
            new RenderSettings(NftFamily.IP, List.of(NetnsLab.CLUSTER_CIDR), List.of(NetnsLab.NODE_IP));
    static final NodeTopology NODE = new NodeTopology("bench-node", null, true);

    public static void main(String[] args) throws Exception {
        int services = Integer.parseInt(args[0]);
        int endpoints = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        try (NetnsLab lab = new NetnsLab().start()) {
            NftApplier nft = new NftApplier(System.getProperty("netplane.bench.nft", "nft"), Optional.of(lab.node));
            AppliedTable table = new AppliedTable();

            long t0 = System.nanoTime();
            Map<String, ServiceFragment> all = new LinkedHashMap<>();
            for (int i = 0; i < services; i++) {
                all.put(key(i), render(i, endpoints, 0));
            }
            // the Service the data-path measurement uses: one backend, b1
            all.put("bench/probe", probe());
            AppliedTable.Staged full = table.stageFull(SPEC, all);
            long t1 = System.nanoTime();
            if (System.getenv("NETPLANE_BENCH_DUMP") != null) {
                Files.writeString(Path.of(System.getenv("NETPLANE_BENCH_DUMP")), full.script());
            }
            nft.apply(full.script());
            long t2 = System.nanoTime();
            table.commit(full);
            String listed = nft.list("ip netplane-proxy");
            long lines = listed.lines().count();
            long chains = listed.lines().filter(l -> l.stripLeading().startsWith("chain ")).count();
            System.out.printf("services=%d endpoints/service=%d%n", services, endpoints);
            System.out.printf("full sync: render %d ms + nft apply %d ms = %d ms (script %.1f MB, %d rules+elements, 'nft list' %d lines, %d chains)%n",
                    ms(t1 - t0), ms(t2 - t1), ms(t2 - t0), full.script().length() / 1e6, table.ruleCount(), lines, chains);

            long c0 = System.nanoTime();
            AppliedTable.Staged change = table.stage(SPEC, Map.of(key(7), render(7, endpoints, 1)));
            long c1 = System.nanoTime();
            nft.apply(change.script());
            long c2 = System.nanoTime();
            table.commit(change);
            System.out.printf("one-Service change (1 of %d endpoints replaced): render %d ms + apply %d ms = %d ms (%d script lines)%n",
                    endpoints, ms(c1 - c0), ms(c2 - c1), ms(c2 - c0), change.script().lines().count());

            long a0 = System.nanoTime();
            AppliedTable.Staged add = table.stage(SPEC, Map.of(key(services), render(services, endpoints, 0)));
            nft.apply(add.script());
            long a1 = System.nanoTime();
            table.commit(add);
            System.out.printf("add one Service at this size: %d ms%n", ms(a1 - a0));

            System.gc();
            String rss = rss();
            System.out.printf("resident memory (JVM holding the table model): %s; heap used %d MB%n", rss,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            // for bench/node-proxy.sh's ratios against kube-proxy (bench/kube-proxy-peer.sh prints the same keys)
            System.out.printf("NODEPROXY full_ms=%d change_ms=%d add_ms=%d lines=%d chains=%d rss_kb=%s%n", ms(t2 - t0),
                    ms(c2 - c0), ms(a1 - a0), lines, chains, rss.replace(" kB", ""));

            // each measurement uses its own (identical) backend: reusing one would make new flows collide with the
            // previous run's TIME_WAIT conntrack entries (same reply tuple) and measure that instead
            String direct = lab.bench(lab.client, NetnsLab.backendIp(2), NetnsLab.BACKEND_PORT, seconds);
            String viaVip = lab.bench(lab.client, "10.96.255.250", 80, seconds);
            // peer: one hand-written DNAT rule in a table of its own, to separate kernel NAT cost from our rules
            nft.apply("add table ip bench-peer\nadd chain ip bench-peer pre { type nat hook prerouting priority -100 ; }\n"
                    + "add rule ip bench-peer pre ip daddr 10.96.255.251 tcp dport 80 dnat to "
                    + NetnsLab.backendIp(3) + ":" + NetnsLab.BACKEND_PORT + "\n");
            String bare = lab.bench(lab.client, "10.96.255.251", 80, seconds);
            String[] p = bare.trim().split(" ");
            double pRate = Double.parseDouble(p[0]) / seconds;
            String[] d = direct.trim().split(" ");
            String[] v = viaVip.trim().split(" ");
            double dRate = Double.parseDouble(d[0]) / seconds;
            double vRate = Double.parseDouble(v[0]) / seconds;
            System.out.printf("data path, direct to backend: %.0f conn/s, mean %s us, p99 %s us%n", dRate, d[1], d[2]);
            System.out.printf("data path, via ClusterIP (table of %d Services): %.0f conn/s, mean %s us, p99 %s us%n",
                    services + 2, vRate, v[1], v[2]);
            System.out.printf("data path, one bare DNAT rule (peer): %.0f conn/s, mean %s us, p99 %s us%n", pRate, p[1], p[2]);
            System.out.printf("ratio ClusterIP/direct: rate %.2f, mean latency %.2f%n", vRate / dRate,
                    Double.parseDouble(v[1]) / Double.parseDouble(d[1]));
            System.out.printf("ratio ClusterIP/bare DNAT: rate %.2f, mean latency %.2f%n", vRate / pRate,
                    Double.parseDouble(v[1]) / Double.parseDouble(p[1]));
        }
    }

    static String key(int i) {
        return "bench/svc-" + i;
    }

    /** Service i: ClusterIP 10.96.0.0 + i + 1, endpoints 10.(100 + ...) unique per Service; shift moves one. */
    static ServiceFragment render(int i, int endpoints, int shift) {
        ServicePort sp = new ServicePort("bench", "svc-" + i, "http", "tcp", IpFamily.IPv4,
                IpAddress.parse("10.96.0.0").plus(i + 1).toString(), 80, 0, List.of(), List.of(), List.of(), false,
                0, false, false, 0);
        List<Endpoint> eps = new ArrayList<>();
        for (int e = 0; e < endpoints; e++) {
            long n = (long) i * (endpoints + 1) + e + shift;
            eps.add(Endpoint.ready(IpAddress.parse("10.128.0.0").plus(n).toString(), 8080, false));
        }
        return FragmentRenderer.render(key(i), List.of(new PlannedPort(sp, eps)), NODE, SETTINGS);
    }

    static ServiceFragment probe() {
        ServicePort sp = new ServicePort("bench", "probe", "http", "tcp", IpFamily.IPv4, "10.96.255.250", 80, 0,
                List.of(), List.of(), List.of(), false, 0, false, false, 0);
        return FragmentRenderer.render("bench/probe", List.of(new PlannedPort(sp,
                List.of(Endpoint.ready(NetnsLab.backendIp(1), NetnsLab.BACKEND_PORT, true)))), NODE, SETTINGS);
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    static String rss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                .map(l -> l.replace("VmRSS:", "").trim()).findFirst().orElse("?");
    }
}
