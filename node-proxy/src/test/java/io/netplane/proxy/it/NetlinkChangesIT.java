package io.netplane.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import io.netplane.proxy.fixtures.NetlinkHelper;
import io.netplane.proxy.fixtures.NetnsAvailable;
import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.NodeContext;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import io.netplane.proxy.sync.NftApplier;
import io.netplane.proxy.sync.NftDataplane;
import io.netplane.proxy.sync.SyncInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A change sent as a netlink batch leaves the kernel holding exactly what nft makes of the same script: two
 * namespaces get the same Services and the same series of changes, one through nft only, one through
 * netplane-nl, and after each change their tables, as the kernel dumps them expression by expression ({@code nft
 * --debug=netlink list table}), are the same. Each change the encoder understands must have gone the netlink way.
 */
@ExtendWith(NetnsAvailable.class)
class NetlinkChangesIT {
    static final String TABLE = "np-netlink";
    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String nftNs = "npl-nft-" + suffix;
    final String nlNs = "npl-nl-" + suffix;
    final NodeContext node = NodeContext.of("node-a", null, true);
    NftApplier viaNft;
    NftApplier viaNetlink;
    NftDataplane nftPlane;
    NftDataplane nlPlane;

    @BeforeEach
    void start() throws Exception {
        sh("ip", "netns", "add", nftNs);
        sh("ip", "netns", "add", nlNs);
        viaNft = new NftApplier("nft", Optional.of(nftNs));
        viaNetlink = new NftApplier("nft", Optional.of(nlNs)).withNetlink(NetlinkHelper.PATH);
        nftPlane = plane(viaNft);
        nlPlane = plane(viaNetlink);
    }

    @AfterEach
    void stop() throws Exception {
        sh("ip", "netns", "delete", nftNs);
        sh("ip", "netns", "delete", nlNs);
    }

    NftDataplane plane(NftApplier applier) {
        return new NftDataplane(new NftDataplane.Settings(TABLE, List.of("10.240.0.0/16", "fd00:240::/32"),
                List.of("10.96.0.0/16", "fd00:96::/112"), List.of(), false, 14, 0), applier, null);
    }

    @Test
    void everyChangeLeavesTheSameTablesAsNft() throws Exception {
        Map<IpFamily, Map<String, List<PlannedPort>>> all = new EnumMap<>(IpFamily.class);
        put(all, "a", port("a", IpFamily.IPv4, "10.96.0.1", 0, 0), eps(false, "10.240.0.1"));
        put(all, "b", port("b", IpFamily.IPv4, "10.96.0.2", 0, 0), eps(false, "10.240.0.2", "10.240.0.3", "10.240.0.4"));
        put(all, "c", port("c", IpFamily.IPv4, "10.96.0.3", 0, 0), eps(false));
        put(all, "d", port("d", IpFamily.IPv4, "10.96.0.4", 30080, 0), eps(false, "10.240.0.5", "10.240.0.6"));
        put(all, "e", port("e", IpFamily.IPv6, "fd00:96::5", 0, 0), eps(false, "fd00:240::7", "fd00:240::8"));
        put(all, "f", port("f", IpFamily.IPv4, "10.96.0.6", 0, 0), eps(true, "10.240.0.9"));
        put(all, "g", port("g", IpFamily.IPv4, "10.96.0.7", 0, 10800), eps(false, "10.240.0.10"));
        SyncInput first = new SyncInput(all, node, 7);
        nftPlane.replaceAll(first);
        nlPlane.replaceAll(first);
        assertSameTables("after the full sync");

        change("an endpoint replaced", "a", port("a", IpFamily.IPv4, "10.96.0.1", 0, 0), eps(false, "10.240.1.1"), true);
        change("three endpoints down to one", "b", port("b", IpFamily.IPv4, "10.96.0.2", 0, 0), eps(false, "10.240.0.3"), true);
        change("no endpoints to two", "c", port("c", IpFamily.IPv4, "10.96.0.3", 0, 0),
                eps(false, "10.240.0.11", "10.240.0.12"), true);
        change("one endpoint to none", "a", port("a", IpFamily.IPv4, "10.96.0.1", 0, 0), eps(false), true);
        change("a NodePort Service added", "h", port("h", IpFamily.IPv4, "10.96.0.8", 30081, 0),
                eps(false, "10.240.0.13", "10.240.0.14", "10.240.0.15"), true);
        change("a NodePort Service's endpoints", "d", port("d", IpFamily.IPv4, "10.96.0.4", 30080, 0),
                eps(false, "10.240.0.6"), true);
        change("a NodePort Service removed", "d", null, null, true);
        change("IPv6 endpoints", "e", port("e", IpFamily.IPv6, "fd00:96::5", 0, 0), eps(false, "fd00:240::9"), true);
        change("a local endpoint (hairpin)", "f", port("f", IpFamily.IPv4, "10.96.0.6", 0, 0),
                eps(true, "10.240.0.16", "10.240.0.17"), true);
        // ClientIP affinity needs a timeout set per endpoint: not something the encoder writes, so nft does
        change("an affinity Service's endpoints", "g", port("g", IpFamily.IPv4, "10.96.0.7", 0, 10800),
                eps(false, "10.240.0.18"), false);
        change("a Service removed", "b", null, null, true);
    }

    private void change(String what, String name, ServicePort sp, List<Endpoint> endpoints, boolean viaNetlinkExpected)
            throws Exception {
        IpFamily family = sp == null ? IpFamily.IPv4 : sp.family();
        Map<IpFamily, Map<String, List<PlannedPort>>> changes = new EnumMap<>(IpFamily.class);
        changes.put(family, new LinkedHashMap<>());
        changes.get(family).put("ns/" + name, sp == null ? List.of() : List.of(new PlannedPort(sp, endpoints)));
        long before = viaNetlink.netlinkBatches();
        SyncInput input = new SyncInput(changes, node, 8);
        nftPlane.update(input);
        nlPlane.update(input);
        assertThat(viaNetlink.netlinkBatches() - before).as(what + ": applied as a netlink batch")
                .isEqualTo(viaNetlinkExpected ? 1 : 0);
        assertSameTables(what);
    }

    private void assertSameTables(String when) throws IOException {
        for (String family : List.of("ip", "ip6")) {
            String nft = dump(nftNs, family);
            assertThat(nft).as("the nft-made %s table %s", family, when).contains("[ nat dnat");
            assertThat(dump(nlNs, family)).as("the %s table %s", family, when).isEqualTo(nft);
        }
    }

    /**
     * The kernel's dump, expression by expression, without rule handles; elements sorted within each set (a
     * hash set lists them in the order of its random seed).
     */
    private String dump(String ns, String family) throws IOException {
        String out = sh("ip", "netns", "exec", ns, "nft", "--debug=netlink", "list", "table", family, TABLE);
        List<String> lines = new ArrayList<>();
        List<String> elements = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("table ")) {
                break; // the listing that follows the dump
            }
            if (line.stripLeading().startsWith("element ")) {
                elements.add(line.strip());
                continue;
            }
            elements.stream().sorted().forEach(lines::add);
            elements.clear();
            lines.add(line.replaceAll("^(" + family + " " + TABLE + " \\S+)( \\d+)+$", "$1"));
        }
        elements.stream().sorted().forEach(lines::add);
        return String.join("\n", lines);
    }

    private static void put(Map<IpFamily, Map<String, List<PlannedPort>>> all, String name, ServicePort sp,
            List<Endpoint> endpoints) {
        all.computeIfAbsent(sp.family(), f -> new LinkedHashMap<>()).put("ns/" + name,
                List.of(new PlannedPort(sp, endpoints)));
    }

    private static ServicePort port(String name, IpFamily family, String clusterIP, int nodePort, int affinity) {
        return new ServicePort("ns", name, "http", "tcp", family, clusterIP, 80, nodePort, List.of(), List.of(),
                List.of(), false, affinity, false, false, 0);
    }

    private static List<Endpoint> eps(boolean local, String... ips) {
        return java.util.Arrays.stream(ips).map(ip -> Endpoint.ready(ip, 8080, local)).toList();
    }

    private static String sh(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
