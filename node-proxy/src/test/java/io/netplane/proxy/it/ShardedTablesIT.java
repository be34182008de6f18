package io.netplane.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import io.netplane.proxy.fixtures.NetlinkHelper;
import io.netplane.proxy.fixtures.NetnsAvailable;
import io.netplane.proxy.fixtures.NetnsLab;
import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.NodeContext;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import io.netplane.proxy.nft.TableShards;
import io.netplane.proxy.sync.NftApplier;
import io.netplane.proxy.sync.NftDataplane;
import io.netplane.proxy.sync.SyncInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Services spread over four tables, with real traffic: every table meets each packet, and only the one owning its
 * Service acts on it. The Services under test sit in the first and in the last table, so that whatever order the
 * kernel runs the tables in, others see some of their packets first.
 */
@ExtendWith(NetnsAvailable.class)
class ShardedTablesIT {
    static final String TABLE = "np-shards";
    static NetnsLab lab;
    static NftApplier nft;
    final NodeContext node = NodeContext.of("node-a", null, true);

    @BeforeAll
    static void start() throws Exception {
        lab = new NetnsLab().start();
        // every reject here answers the same client: without this, the kernel's ICMP rate limit (a burst of six,
        // then one a second) turns later rejects into timeouts
        lab.sh(lab.node, "sysctl -qw net.ipv4.icmp_ratelimit=0");
        nft = new NftApplier("nft", Optional.of(lab.node)).withNetlink(NetlinkHelper.PATH);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    NftDataplane plane(int shards) {
        return new NftDataplane(new NftDataplane.Settings(TABLE, List.of(NetnsLab.CLUSTER_CIDR),
                List.of(NetnsLab.SERVICE_CIDR), List.of(), false, 14, shards), nft, null);
    }

    /** The first name ns/<prefix><n> whose Service lands in {@code shard} of 4. */
    static String keyIn(String prefix, int shard) {
        for (int n = 0; ; n++) {
            if (TableShards.of("it/" + prefix + n, 4) == shard) {
                return "it/" + prefix + n;
            }
        }
    }

    static List<PlannedPort> port(String key, String clusterIp, List<Endpoint> endpoints) {
        ServicePort sp = new ServicePort("it", key.substring(3), "http", "tcp", IpFamily.IPv4, clusterIp, 80, 0,
                List.of(), List.of(), List.of(), false, 0, false, false, 0);
        return List.of(new PlannedPort(sp, endpoints));
    }

    /** In the first and the last table (whichever the kernel runs first): a Service with a backend, one without. */
    SyncInput services() {
        Map<String, List<PlannedPort>> m = new LinkedHashMap<>();
        for (int s : new int[] {0, 3}) {
            m.put(keyIn("web", s), port(keyIn("web", s), "10.96.240." + (10 + s * 10),
                    List.of(Endpoint.ready(NetnsLab.backendIp(1), NetnsLab.BACKEND_PORT, true))));
            m.put(keyIn("empty", s), port(keyIn("empty", s), "10.96.240." + (11 + s * 10), List.of()));
        }
        for (int s = 1; s < 3; s++) {
            m.put(keyIn("other", s), port(keyIn("other", s), "10.96.240." + (50 + s),
                    List.of(Endpoint.ready(NetnsLab.backendIp(2), NetnsLab.BACKEND_PORT, true))));
        }
        return new SyncInput(Map.of(IpFamily.IPv4, m), node);
    }

    /** This test's IPv4 tables, as {@code nft list tables} prints them. */
    static List<String> tables() throws Exception {
        return lab.sh(lab.node, "nft list tables").lines().map(String::trim)
                .filter(l -> l.startsWith("table ip " + TABLE)).map(l -> l.substring("table ip ".length())).toList();
    }

    long unallocatedDrops() throws Exception {
        long sum = 0;
        for (String table : tables()) {
            Matcher m = Pattern.compile("counter packets (\\d+)").matcher(nft.list("ip " + table));
            while (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
        }
        return sum;
    }

    void assertServed(String from) throws Exception {
        for (String vip : List.of("10.96.240.10", "10.96.240.40")) {
            assertThat(lab.connect(from, "tcp", vip, 80, 3)).allMatch(a -> a.startsWith("b1 "));
            // a port the Service does not have: rejected by the owning table, not dropped by another
            assertThat(lab.connect(from, "tcp", vip, 81, 1)).containsOnly("REFUSED");
        }
        assertThat(lab.connect(from, "tcp", "10.96.240.52", 80, 2)).allMatch(a -> a.startsWith("b2 "));
        for (String vip : List.of("10.96.240.11", "10.96.240.41")) {
            assertThat(lab.connect(from, "tcp", vip, 80, 1)).as("no endpoints").containsOnly("REFUSED");
        }
        long before = unallocatedDrops();
        assertThat(lab.connect(from, "tcp", "10.96.240.99", 80, 1)).containsOnly("TIMEOUT");
        assertThat(unallocatedDrops()).as("dropped as an unallocated ClusterIP").isGreaterThan(before);
    }

    @Test
    void servicesSpreadOverTablesAreServedFromPodsAndFromTheNode() throws Exception {
        NftDataplane plane = plane(4);
        plane.replaceAll(services());
        assertThat(tables())
                .containsExactlyInAnyOrder(TABLE + "-0", TABLE + "-1", TABLE + "-2", TABLE + "-3");
        assertServed(lab.client);
        assertServed(lab.node);

        // a restart that chooses one table for these few Services replaces the four, and traffic goes on
        NftDataplane restarted = plane(0);
        restarted.replaceAll(services());
        assertThat(tables()).containsExactly(TABLE);
        assertServed(lab.client);
        restarted.remove();
        assertThat(tables()).isEmpty();
    }
}
