package io.netplane.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.PolicyView.PeerView;
import io.netplane.api.events.PolicyView.PortView;
import io.netplane.api.events.PolicyView.RuleView;
import io.netplane.proxy.policy.PolicyNames.Direction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules rendered for local Pod x/a (10.0.0.1 on node-1, port "http" = 8080/TCP) by policy kind. Sets: A =
 * {x/a}, B = {x/b 10.0.0.2 (http 9090/TCP), remote x/r fd00::5 (http 80/TCP)}.
 */
class PolicyNftRendererTest {
    static final MemberView XA = new MemberView("x/a", List.of("10.0.0.1"), "node-1", List.of(new ContainerPortView("http", 8080, "TCP")));
    static final MemberView XB = new MemberView("x/b", List.of("10.0.0.2"), "node-2", List.of(new ContainerPortView("http", 9090, "TCP")));
    static final MemberView XR = new MemberView("x/r", List.of("fd00::5"), "node-3", List.of(new ContainerPortView("http", 80, "TCP")));
    static final Map<String, IpSetView> SETS = Stream.of(set("A", XA), set("B", XB, XR), set("ALL", XA, XB, XR))
            .collect(Collectors.toMap(IpSetView::name, Function.identity()));

    static Stream<Arguments> ingress() {
        return Stream.of(
                Arguments.of("deny all: no rules, only the drop", List.<RuleView>of(), List.of("drop")),
                Arguments.of("allow all: one empty rule", List.of(rule(List.of(), List.of())),
                        List.of("accept comment \"x/p ingress[0]\"", "drop")),
                Arguments.of("from a set on TCP 80, both families",
                        List.of(rule(List.of(peerSet("B")), List.of(port("TCP", 80, null, null)))),
                        List.of("ip saddr @s_B_4 tcp dport 80 accept comment \"x/p ingress[0]\"",
                                "ip6 saddr @s_B_6 tcp dport 80 accept comment \"x/p ingress[0]\"", "drop")),
                Arguments.of("ipBlock with except",
                        List.of(rule(List.of(new PeerView(null, "172.17.0.0/16", List.of("172.17.1.0/24"))), List.of(port("TCP", 6379, null, null)))),
                        List.of("ip saddr 172.17.0.0/16 ip saddr != { 172.17.1.0/24 } tcp dport 6379 accept comment \"x/p ingress[0]\"", "drop")),
                Arguments.of("named port resolved on the local Pod",
                        List.of(rule(List.of(), List.of(port("TCP", null, "http", null)))),
                        List.of("tcp dport 8080 accept comment \"x/p ingress[0]\"", "drop")),
                Arguments.of("named port the Pod does not declare allows nothing",
                        List.of(rule(List.of(), List.of(port("TCP", null, "metrics", null), port("UDP", null, "http", null)))),
                        List.of("drop")),
                Arguments.of("range, protocol only, SCTP",
                        List.of(rule(List.of(), List.of(port("TCP", 32000, null, 32768), port("UDP", null, null, null), port("SCTP", 80, null, null)))),
                        List.of("tcp dport 32000-32768 accept comment \"x/p ingress[0]\"", "meta l4proto udp accept comment \"x/p ingress[0]\"",
                                "sctp dport 80 accept comment \"x/p ingress[0]\"", "drop")),
                Arguments.of("two rules: each rendered with its index",
                        List.of(rule(List.of(peerSet("B")), List.of()), rule(List.of(new PeerView(null, "fd00::/64", List.of())), List.of())),
                        List.of("ip saddr @s_B_4 accept comment \"x/p ingress[0]\"", "ip6 saddr @s_B_6 accept comment \"x/p ingress[0]\"",
                                "ip6 saddr fd00::/64 accept comment \"x/p ingress[1]\"", "drop")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ingress")
    void ingressChainOfTheLocalPod(String name, List<RuleView> rules, List<String> expected) {
        PolicyView p = new PolicyView("x", "p", "1", Instant.EPOCH, "A", List.of("Ingress"), rules, List.of());
        PolicyRuleset r = PolicyNftRenderer.render("node-1", List.of(p), SETS);
        assertThat(r.chains().get(PolicyNames.chain("x/a", Direction.INGRESS))).isEqualTo(expected);
        assertThat(r.chains()).doesNotContainKey(PolicyNames.chain("x/a", Direction.EGRESS));
        assertThat(r.maps().get("in4").jumps()).containsExactly(Map.entry("10.0.0.1", "jump " + PolicyNames.chain("x/a", Direction.INGRESS)));
        assertThat(r.maps().get("out4").jumps()).isEmpty();
    }

    @Test
    void egressNamedPortsResolveOnEachDestination() {
        PolicyView p = new PolicyView("x", "p", "1", Instant.EPOCH, "A", List.of("Egress"), List.of(), List.of(
                rule(List.of(peerSet("B")), List.of(port("TCP", null, "http", null))),
                new RuleView(List.of(), List.of(port("TCP", null, "http", null)), "ALL"),
                new RuleView(List.of(new PeerView(null, "10.0.0.0/24", List.of())), List.of(port("TCP", null, "http", null)), "ALL")));
        PolicyRuleset r = PolicyNftRenderer.render("node-1", List.of(p), SETS);
        assertThat(r.chains().get(PolicyNames.chain("x/a", Direction.EGRESS))).containsExactly(
                "ip daddr @s_B_4 ip daddr . tcp dport { 10.0.0.2 . 9090 } return comment \"x/p egress[0]\"",
                "ip6 daddr @s_B_6 ip6 daddr . tcp dport { fd00::5 . 80 } return comment \"x/p egress[0]\"",
                "ip daddr . tcp dport { 10.0.0.1 . 8080, 10.0.0.2 . 9090 } return comment \"x/p egress[1]\"",
                "ip6 daddr . tcp dport { fd00::5 . 80 } return comment \"x/p egress[1]\"",
                "ip daddr 10.0.0.0/24 ip daddr . tcp dport { 10.0.0.1 . 8080, 10.0.0.2 . 9090 } return comment \"x/p egress[2]\"",
                "drop");
        assertThat(r.maps().get("out4").jumps()).containsOnlyKeys("10.0.0.1");
    }

    @Test
    void policiesAddUpInOneChainAndRemotePodsGetNoChain() {
        PolicyView p1 = new PolicyView("x", "p1", "1", Instant.EPOCH, "B", List.of("Ingress"),
                List.of(rule(List.of(), List.of(port("TCP", 80, null, null)))), List.of());
        PolicyView p2 = new PolicyView("x", "p2", "1", Instant.EPOCH, "ALL", List.of("Ingress"),
                List.of(rule(List.of(), List.of(port("UDP", 53, null, null)))), List.of());
        PolicyRuleset r = PolicyNftRenderer.render("node-2", List.of(p2, p1), SETS);
        assertThat(r.chains()).containsOnlyKeys(PolicyNames.chain("x/b", Direction.INGRESS));
        assertThat(r.chains().get(PolicyNames.chain("x/b", Direction.INGRESS))).containsExactly(
                "tcp dport 80 accept comment \"x/p1 ingress[0]\"", "udp dport 53 accept comment \"x/p2 ingress[0]\"", "drop");
    }

    @Test
    void aPeerSetNotReceivedYetIsDeclaredEmpty() {
        PolicyView p = new PolicyView("x", "p", "1", Instant.EPOCH, "A", List.of("Ingress"),
                List.of(rule(List.of(peerSet("MISSING")), List.of())), List.of());
        PolicyRuleset r = PolicyNftRenderer.render("node-1", List.of(p), SETS);
        assertThat(r.sets().get("s_MISSING_4").elements()).isEmpty();
        assertThat(r.chains().get(PolicyNames.chain("x/a", Direction.INGRESS))).endsWith("drop");
    }

    @Test
    void updateTouchesOnlyTheChangedSet() {
        PolicyView p = new PolicyView("x", "p", "1", Instant.EPOCH, "A", List.of("Ingress"),
                List.of(rule(List.of(peerSet("B")), List.of())), List.of());
        PolicyRuleset before = PolicyNftRenderer.render("node-1", List.of(p), SETS);
        Map<String, IpSetView> changed = new java.util.HashMap<>(SETS);
        changed.put("B", set("B", XB, XR, new MemberView("x/c", List.of("10.0.0.3"), "node-2", List.of())));
        PolicyRuleset after = PolicyNftRenderer.render("node-1", List.of(p), changed);
        assertThat(PolicyNftScript.update(before, after)).as("only the element that joined").isEqualTo("""
                add element inet netplane_policy s_B_4 { 10.0.0.3 }
                """);
        assertThat(PolicyNftScript.update(after, before)).as("only the element that left").isEqualTo("""
                delete element inet netplane_policy s_B_4 { 10.0.0.3 }
                """);
        assertThat(PolicyNftScript.update(after, after)).isEmpty();
    }

    @Test
    void aOneMemberChangeOfA150000MemberSetIsOneElementEachWay() {
        PolicyView p = new PolicyView("x", "p", "1", Instant.EPOCH, "A", List.of("Ingress"),
                List.of(rule(List.of(peerSet("BIG")), List.of())), List.of());
        List<MemberView> members = new java.util.ArrayList<>(ShardedRecords.members("big", 0, 150_000));
        Map<String, IpSetView> sets = new java.util.HashMap<>(SETS);
        sets.put("BIG", new IpSetView("BIG", "1", Instant.EPOCH, "big", members));
        PolicyRuleset before = PolicyNftRenderer.render("node-1", List.of(p), sets);
        MemberView left = members.remove(4242);
        members.add(ShardedRecords.member("big", 150_000));
        sets.put("BIG", new IpSetView("BIG", "2", Instant.EPOCH, "big", members));
        PolicyRuleset after = PolicyNftRenderer.render("node-1", List.of(p), sets);

        assertThat(before.sets().get("s_BIG_4").elements()).hasSize(150_000);
        assertThat(PolicyNftScript.update(before, after)).isEqualTo("""
                delete element inet netplane_policy s_BIG_4 { %s }
                add element inet netplane_policy s_BIG_4 { %s }
                """.formatted(left.ips().get(0), ShardedRecords.member("big", 150_000).ips().get(0)));
    }

    @Test
    void updateRemovesAChainWhenThePodIsNoLongerIsolated() {
        PolicyView p = new PolicyView("x", "p", "1", Instant.EPOCH, "A", List.of("Ingress"), List.of(), List.of());
        PolicyRuleset before = PolicyNftRenderer.render("node-1", List.of(p), SETS);
        PolicyRuleset after = PolicyNftRenderer.render("node-1", List.of(), SETS);
        String chain = PolicyNames.chain("x/a", Direction.INGRESS);
        assertThat(PolicyNftScript.update(before, after)).isEqualTo("""
                flush map inet netplane_policy in4
                flush chain inet netplane_policy %s
                delete chain inet netplane_policy %s
                """.formatted(chain, chain));
    }

    @Test
    void longPolicyNamesAreCutToFitAnNftComment() {
        String name = "p".repeat(200);
        PolicyView p = new PolicyView("x", name, "1", Instant.EPOCH, "A", List.of("Ingress"), List.of(rule(List.of(), List.of())), List.of());
        String line = PolicyNftRenderer.render("node-1", List.of(p), SETS).chains().get(PolicyNames.chain("x/a", Direction.INGRESS)).get(0);
        String comment = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
        assertThat(comment).hasSize(120).startsWith("...").endsWith("p ingress[0]");
    }

    static IpSetView set(String name, MemberView... members) {
        return new IpSetView(name, "1", Instant.EPOCH, name, List.of(members));
    }

    static RuleView rule(List<PeerView> peers, List<PortView> ports) {
        return new RuleView(peers, ports, null);
    }

    static PeerView peerSet(String set) {
        return new PeerView(set, null, List.of());
    }

    static PortView port(String protocol, Integer port, String name, Integer endPort) {
        return new PortView(protocol, port, name, endPort);
    }
}
