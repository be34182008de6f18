package io.netplane.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.PolicyView.PeerView;
import io.netplane.api.events.PolicyView.PortView;
import io.netplane.api.events.PolicyView.RuleView;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real TCP and UDP traffic between network-namespace Pods through the rendered policy table, applied with nft
 * in the node namespace: first the whole table, then only the changes (as node-proxy applies them). Pods x/a,
 * x/b (declares "http" = TCP 81) and y/c on node-1; "ext" is an address outside the Pod network.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyEnforcementIT {
    private static PolicyLab lab;
    private static String a;
    private static String b;
    private static String c;
    private final PolicyTable table = TABLE;
    private static final PolicyTable TABLE = new PolicyTable("node-1");
    private static final Map<String, IpSetView> SETS = new HashMap<>();
    private static final Map<String, PolicyView> POLICIES = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        String reason = PolicyLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, "SKIPPED real-traffic test: " + reason);
        lab = new PolicyLab().start();
        a = lab.host("x/a", 1, true);
        b = lab.host("x/b", 2, true);
        c = lab.host("y/c", 3, true);
        lab.host("ext", 4, false);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void withoutPoliciesEverythingFlows() throws IOException {
        apply();
        assertThat(lab.connect("x/b", "tcp", a, 80)).isEqualTo("x/a");
        assertThat(lab.connect("y/c", "udp", a, 81)).isEqualTo("x/a");
        assertThat(lab.connect("ext", "tcp", b, 81)).isEqualTo("x/b");
    }

    @Test
    @Order(2)
    void ingressFromASetOnTcp80Only() throws IOException {
        SETS.put("sel-a", set("sel-a", member("x/a", a)));
        SETS.put("pods-b", set("pods-b", member("x/b", b)));
        POLICIES.put("x/allow-b", policy("allow-b", "sel-a", List.of("Ingress"),
                List.of(rule(List.of(peer("pods-b")), List.of(port("TCP", 80, null)))), List.of()));
        apply();

        assertThat(lab.connect("x/b", "tcp", a, 80)).isEqualTo("x/a");
        assertThat(lab.connect("x/b", "tcp", a, 81)).as("other port").isEqualTo("TIMEOUT");
        assertThat(lab.connect("x/b", "udp", a, 80)).as("other protocol").isEqualTo("TIMEOUT");
        assertThat(lab.connect("y/c", "tcp", a, 80)).as("not in the set").isEqualTo("TIMEOUT");
        assertThat(lab.connect("ext", "tcp", a, 80)).isEqualTo("TIMEOUT");
        assertThat(lab.connect("y/c", "tcp", b, 80)).as("x/b is not isolated").isEqualTo("x/b");
    }

    @Test
    @Order(3)
    void setMembershipChangeIsAppliedIncrementally() throws IOException {
        SETS.put("pods-b", set("pods-b", member("x/b", b), member("y/c", c)));
        String script = apply();
        assertThat(script).as("only the set changes, by the element that joined")
                .isEqualTo("add element inet netplane_policy s_pods_b_4 { " + c + " }\n");
        assertThat(lab.connect("y/c", "tcp", a, 80)).isEqualTo("x/a");
    }

    @Test
    @Order(4)
    void ipBlockWithExceptAndUdpRule() throws IOException {
        POLICIES.put("x/outside", policy("outside", "sel-a", List.of("Ingress"), List.of(
                rule(List.of(new PeerView(null, "10.241.0.0/16", List.of("10.241.3.0/24", "10.241.2.0/24"))), List.of(port("UDP", 81, null)))),
                List.of()));
        apply();
        assertThat(lab.connect("ext", "udp", a, 81)).isEqualTo("x/a");
        assertThat(lab.connect("ext", "tcp", a, 81)).isEqualTo("TIMEOUT");
        assertThat(lab.connect("y/c", "udp", a, 81)).as("in the except").isEqualTo("TIMEOUT");
        assertThat(lab.connect("y/c", "tcp", a, 80)).as("the first policy still allows (union)").isEqualTo("x/a");
    }

    @Test
    @Order(5)
    void egressToANamedPortResolvedOnTheDestination() throws IOException {
        SETS.put("sel-c", set("sel-c", member("y/c", c)));
        SETS.put("x-all", set("x-all", member("x/a", a), member("x/b", b)));
        POLICIES.put("y/egress-http", policy("egress-http", "sel-c", List.of("Egress"),
                List.of(), List.of(rule(List.of(peer("x-all")), List.of(port("TCP", null, "http"))))));
        apply();
        assertThat(lab.connect("y/c", "tcp", b, 81)).as("x/b declares http = 81").isEqualTo("x/b");
        assertThat(lab.connect("y/c", "tcp", b, 80)).isEqualTo("TIMEOUT");
        assertThat(lab.connect("y/c", "tcp", a, 80)).as("x/a declares no http port; egress denies").isEqualTo("TIMEOUT");
        assertThat(lab.connect("x/b", "tcp", c, 80)).as("y/c ingress open; replies flow").isEqualTo("y/c");
    }

    @Test
    @Order(6)
    void deletingThePoliciesOpensEverythingAgain() throws IOException {
        POLICIES.clear();
        SETS.clear();
        apply();
        assertThat(lab.connect("ext", "tcp", a, 81)).isEqualTo("x/a");
        assertThat(lab.connect("y/c", "tcp", b, 80)).isEqualTo("x/b");
        assertThat(lab.listRuleset()).doesNotContain("pi_", "pe_", "s_pods");
    }

    private String apply() throws IOException {
        String script = table.next(new ArrayList<>(POLICIES.values()), SETS);
        if (!script.isEmpty()) {
            try {
                lab.nft(script);
                table.applied();
            } catch (IOException e) {
                table.reset();
                throw e;
            }
        }
        return script;
    }

    private static MemberView member(String pod, String ip) {
        List<ContainerPortView> ports = pod.equals("x/b") ? List.of(new ContainerPortView("http", 81, "TCP")) : List.of();
        return new MemberView(pod, List.of(ip), "node-1", ports);
    }

    private static IpSetView set(String name, MemberView... members) {
        return new IpSetView(name, "1", Instant.EPOCH, name, List.of(members));
    }

    private static PolicyView policy(String name, String selected, List<String> types, List<RuleView> ingress, List<RuleView> egress) {
        String ns = selected.equals("sel-c") ? "y" : "x";
        return new PolicyView(ns, name, "1", Instant.EPOCH, selected, types, ingress, egress);
    }

    private static RuleView rule(List<PeerView> peers, List<PortView> ports) {
        return new RuleView(peers, ports, null);
    }

    private static PeerView peer(String set) {
        return new PeerView(set, null, List.of());
    }

    private static PortView port(String protocol, Integer port, String name) {
        return new PortView(protocol, port, name, null);
    }
}
