package io.netplane.proxy.nft;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.NodeTopology;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Full scripts and the incremental update between two versions of a Service. */
class TableScriptTest {
    static final TableSpec SPEC = new TableSpec(NftFamily.IP, "np", null, List.of("10.96.0.0/16"), 0x4000);

    static ServiceFragment web(int affinity, Endpoint... eps) {
        ServicePort sp = new ServicePort("ns", "web", "http", "tcp", IpFamily.IPv4, "10.96.0.10", 80, 0, List.of(),
                List.of(), List.of(), false, affinity, false, false, 0);
        return FragmentRenderer.render("ns/web", List.of(new PlannedPort(sp, List.of(eps))),
                new NodeTopology("node-a", null, true), FragmentRendererTest.SETTINGS);
    }

    static final Endpoint A = Endpoint.ready("10.244.1.1", 8080, true);
    static final Endpoint B = Endpoint.ready("10.244.1.2", 8080, true);

    @Test
    void fullScriptRecreatesTheTableInOneTransaction() {
        String s = TableScript.full(SPEC, List.of(web(0, A)));
        assertThat(s).startsWith("add table ip np\ndelete table ip np\n");
        assertThat(s).contains("add rule ip np cluster-ips-check ip daddr { 10.96.0.0/16 } counter drop");
        assertThat(s).contains("add rule ip np services fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports");
        // every chain is declared before any rule jumps to it
        assertThat(s.indexOf("add chain ip np service-")).isLessThan(s.indexOf("goto service-"));
        assertThat(s).contains("add set ip np hairpin-ips { type ipv4_addr . ipv4_addr ;")
                .contains("add rule ip np masquerading ct status dnat ip saddr . ip daddr @hairpin-ips jump mark-for-masquerade")
                .contains("add element ip np hairpin-ips { 10.244.1.1 . 10.244.1.1 }");
        assertThat(s.indexOf("masquerading ct status dnat")).as("before the mark test returns")
                .isLessThan(s.indexOf("masquerading meta mark and"));
    }

    @Test
    void aShardDropsUnallocatedClusterIpsOnlyAfterEveryTablesOwnChecks() {
        TableSpec spec = new TableSpec(NftFamily.IP, "np-3", null, List.of("10.96.0.0/16"), 0x4000, List.of(), false,
                true);
        String s = TableScript.full(spec, List.of(web(0, A)));
        // another table may own the address: its reject (invalid port, no endpoints) must come first
        assertThat(s).doesNotContain("cluster-ips-check ip daddr { 10.96.0.0/16 }")
                .contains("add rule ip np-3 cluster-ips-check ip daddr @cluster-ips reject")
                .contains("add chain ip np-3 filter-forward-unallocated { type filter hook forward priority -109 ; }")
                .contains("add chain ip np-3 filter-output-unallocated { type filter hook output priority -89 ; }")
                .contains("add rule ip np-3 filter-forward-unallocated ct state new ip daddr { 10.96.0.0/16 } counter drop")
                .contains("add rule ip np-3 filter-output-unallocated ct state new ip daddr { 10.96.0.0/16 } counter drop");
    }

    @Test
    void clusterIpTrafficFromOutsideTheClusterIsMarkedByOneRuleBeforeTheServiceMap() {
        TableSpec spec = new TableSpec(NftFamily.IP, "np", null, List.of(), 0x4000, List.of("10.244.0.0/16"), false);
        String s = TableScript.full(spec, List.of(web(0, A)));
        String rule = "add rule ip np services ip daddr @cluster-ips ip saddr != { 10.244.0.0/16 } jump mark-for-masquerade";
        assertThat(s).contains(rule);
        assertThat(s.indexOf(rule)).isLessThan(s.indexOf("add rule ip np services ip daddr . meta l4proto . th dport vmap"));
        assertThat(TableScript.full(SPEC, List.of())).doesNotContain("daddr @cluster-ips ip saddr");
    }

    @Test
    void masqueradeAllMarksEveryClusterIpConnection() {
        TableSpec spec = new TableSpec(NftFamily.IP, "np", null, List.of(), 0x4000, List.of("10.244.0.0/16"), true);
        assertThat(TableScript.full(spec, List.of()))
                .contains("add rule ip np services ip daddr @cluster-ips jump mark-for-masquerade")
                .doesNotContain("saddr != { 10.244.0.0/16 }");
    }

    @Test
    void nodePortAddressesUseASet() {
        TableSpec spec = new TableSpec(NftFamily.IP, "np", List.of("192.168.50.1"), List.of(), 0x4000);
        String s = TableScript.full(spec, List.of());
        assertThat(s).contains("add element ip np nodeport-ips { 192.168.50.1 }")
                .contains("services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports")
                .doesNotContain("drop comment \"drop traffic to unallocated");
    }

    @Test
    void unchangedServiceNeedsNoCommands() {
        assertThat(TableScript.update(SPEC, List.of(web(0, A, B)), List.of(web(0, A, B)))).isEmpty();
    }

    @Test
    void addingAnEndpointRewritesOnlyTheServiceChainAndAddsItsHairpinElement() {
        String s = FragmentText.shorten(TableScript.update(SPEC, List.of(web(0, A)), List.of(web(0, A, B))));
        assertThat(s.lines().findFirst()).hasValue("flush chain ip np service:http");
        assertThat(s.lines()).containsExactlyInAnyOrder(
                "flush chain ip np service:http",
                "add rule ip np service:http meta l4proto tcp numgen random mod 2 0 dnat ip to 10.244.1.1:8080",
                "add rule ip np service:http meta l4proto tcp dnat ip to 10.244.1.2:8080",
                "add element ip np hairpin-ips { 10.244.1.2 . 10.244.1.2 }");
    }

    @Test
    void losingAllEndpointsSwapsTheMapElementForARejectAndDeletesChainsLast() {
        String s = FragmentText.shorten(TableScript.update(SPEC, List.of(web(0, A)), List.of(web(0))));
        assertThat(s.lines()).containsExactly(
                "delete element ip np hairpin-ips { 10.244.1.1 . 10.244.1.1 }",
                "delete element ip np service-ips { 10.96.0.10 . tcp . 80 }",
                "flush chain ip np service:http",
                "add element ip np no-endpoint-services { 10.96.0.10 . tcp . 80 : goto reject-chain }",
                "delete chain ip np service:http");
    }

    @Test
    void removedServiceIsDeletedCompletely() {
        String s = FragmentText.shorten(TableScript.update(SPEC, List.of(web(60, A)), List.of()));
        assertThat(s).contains("delete element ip np cluster-ips { 10.96.0.10 }",
                "delete element ip np service-ips { 10.96.0.10 . tcp . 80 }",
                "delete chain ip np service:http", "delete set ip np affinity:10.244.1.1/8080");
        assertThat(s).doesNotContain("add ");
    }

    @Test
    void changedAffinityTimeoutRecreatesTheSetAfterFlushingItsUsers() {
        String s = FragmentText.shorten(TableScript.update(SPEC, List.of(web(60, A)), List.of(web(120, A))));
        assertThat(s.indexOf("flush chain ip np endpoint:10.244.1.1/8080"))
                .isLessThan(s.indexOf("delete set ip np affinity:10.244.1.1/8080"));
        assertThat(s.indexOf("delete set ip np affinity:10.244.1.1/8080"))
                .isLessThan(s.indexOf("add set ip np affinity:10.244.1.1/8080 { type ipv4_addr ; flags dynamic,timeout ; timeout 120s ; }"));
    }
}
