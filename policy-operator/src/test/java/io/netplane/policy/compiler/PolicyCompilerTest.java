package io.netplane.policy.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.labels.LabelSelector;
import io.netplane.policy.model.AddressSelector;
import io.netplane.policy.model.NamespaceInfo;
import io.netplane.policy.model.NetpolModel;
import io.netplane.policy.model.PodInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sharing of sets across policies, incremental updates touching only affected sets, and tombstones. */
class PolicyCompilerTest {
    private static final String FROM_B_A = """
            metadata: {name: %s}
            spec:
              podSelector: {matchLabels: {pod: a}}
              ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
            """;
    private static final String FROM_NS_Y = """
            metadata: {name: from-y}
            spec:
              podSelector: {matchLabels: {pod: c}}
              ingress: [{from: [{namespaceSelector: {matchLabels: {team: blue}}}]}]
            """;

    private final PolicyCompiler compiler = new PolicyCompiler();
    private final String podsBInX = SetNames.of(AddressSelector.inNamespace("x", LabelSelector.of(Map.of("pod", "b"))));
    private final String podsAInX = SetNames.of(AddressSelector.inNamespace("x", LabelSelector.of(Map.of("pod", "a"))));
    private final String podsCInX = SetNames.of(AddressSelector.inNamespace("x", LabelSelector.of(Map.of("pod", "c"))));
    private final String blueNamespaces = SetNames.of(AddressSelector.acrossNamespaces(LabelSelector.of(Map.of("team", "blue")),
            LabelSelector.EVERYTHING));

    @BeforeEach
    void cluster() {
        NetpolModel.namespaces().forEach(ns -> compiler.upsertNamespace(ns, "1"));
        NetpolModel.pods().forEach(p -> compiler.upsertPod(p, "1"));
        compiler.flush(Instant.EPOCH);
    }

    @Test
    void identicalSelectorsShareOneSetAcrossPolicies() {
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p1")));
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p2")));
        CompileDelta d = compiler.flush(Instant.EPOCH);

        assertThat(d.sets()).extracting(IpSetView::name).containsExactlyInAnyOrder(podsAInX, podsBInX);
        assertThat(d.policies()).extracting(PolicyView::key).containsExactly("x/p1", "x/p2");
        assertThat(d.policies().get(0).ingress().get(0).peers().get(0).ipSet()).isEqualTo(podsBInX);
        assertThat(d.policies().get(1).ingress().get(0).peers().get(0).ipSet()).isEqualTo(podsBInX);
        assertThat(compiler.referencesOf(podsBInX)).containsExactlyInAnyOrder("x/p1", "x/p2");
        assertThat(d.sets().stream().filter(s -> s.name().equals(podsBInX)).findFirst().orElseThrow().members())
                .extracting(MemberView::pod).containsExactly("x/b");
    }

    @Test
    void setIsTombstonedOnlyWhenItsLastPolicyGoes() {
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p1")));
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p2")));
        compiler.flush(Instant.EPOCH);

        compiler.deletePolicy("x", "p1");
        CompileDelta first = compiler.flush(Instant.EPOCH);
        assertThat(first.removedPolicies()).containsExactly("x/p1");
        assertThat(first.removedSets()).isEmpty();

        compiler.deletePolicy("x", "p2");
        CompileDelta second = compiler.flush(Instant.EPOCH);
        assertThat(second.removedPolicies()).containsExactly("x/p2");
        assertThat(second.removedSets()).containsExactlyInAnyOrder(podsAInX, podsBInX);
        assertThat(compiler.setCount()).isZero();
    }

    @Test
    void podLabelChangeUpdatesOnlyTheAffectedSets() {
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p1")));
        compiler.upsertPolicy(NetpolModel.policy(FROM_NS_Y));
        compiler.flush(Instant.EPOCH);

        PodInfo c = compiler.pod("x/c");
        compiler.upsertPod(new PodInfo("x", "c", Map.of("pod", "b"), c.ips(), c.nodeName(), c.ports(), false), "7");
        CompileDelta d = compiler.flush(Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(d.sets()).extracting(IpSetView::name).containsExactlyInAnyOrder(podsBInX, podsCInX);
        IpSetView b = d.sets().stream().filter(s -> s.name().equals(podsBInX)).findFirst().orElseThrow();
        assertThat(b.members()).extracting(MemberView::pod).containsExactly("x/b", "x/c");
        assertThat(b.resourceVersion()).isEqualTo("7");
        assertThat(d.policies()).as("policies reference sets; they do not change").isEmpty();
    }

    @Test
    void podIpChangeUpdatesTheSetsItIsIn() {
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p1")));
        compiler.flush(Instant.EPOCH);
        PodInfo b = compiler.pod("x/b");
        compiler.upsertPod(new PodInfo("x", "b", b.labels(), List.of("10.9.9.9"), b.nodeName(), b.ports(), false), "8");
        CompileDelta d = compiler.flush(Instant.EPOCH);
        assertThat(d.sets()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(podsBInX);
            assertThat(s.members().get(0).ips()).containsExactly("10.9.9.9");
        });
    }

    @Test
    void unrelatedPodChangeUpdatesNothing() {
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p1")));
        compiler.flush(Instant.EPOCH);
        compiler.upsertPod(NetpolModel.pod("z", "new", "10.0.3.9", Map.of("pod", "b")), "9");
        assertThat(compiler.flush(Instant.EPOCH).isEmpty()).isTrue();
    }

    @Test
    void namespaceLabelChangeUpdatesNamespaceSelectorSets() {
        compiler.upsertPolicy(NetpolModel.policy(FROM_NS_Y));
        CompileDelta first = compiler.flush(Instant.EPOCH);
        assertThat(first.sets().stream().filter(s -> s.name().equals(blueNamespaces)).findFirst().orElseThrow().members()).isEmpty();

        compiler.upsertNamespace(new NamespaceInfo("y", Map.of("ns", "y", "team", "blue")), "10");
        CompileDelta d = compiler.flush(Instant.EPOCH);
        assertThat(d.sets()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(blueNamespaces);
            assertThat(s.members()).extracting(MemberView::pod).containsExactly("y/a", "y/b", "y/c");
        });

        compiler.upsertNamespace(new NamespaceInfo("y", Map.of("ns", "y")), "11");
        assertThat(compiler.flush(Instant.EPOCH).sets()).singleElement().satisfies(s -> assertThat(s.members()).isEmpty());
    }

    @Test
    void podDeletionLeavesItsSets() {
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p1")));
        compiler.flush(Instant.EPOCH);
        compiler.deletePod("x", "b", "12");
        assertThat(compiler.flush(Instant.EPOCH).sets()).singleElement()
                .satisfies(s -> assertThat(s.members()).isEmpty());
    }

    @Test
    void policyUpdateSwapsReferencesAndTombstonesTheOrphan() {
        compiler.upsertPolicy(NetpolModel.policy(FROM_B_A.formatted("p1")));
        compiler.flush(Instant.EPOCH);
        compiler.upsertPolicy(NetpolModel.policy("""
                metadata: {name: p1}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{podSelector: {matchLabels: {pod: c}}}]}]
                """));
        CompileDelta d = compiler.flush(Instant.EPOCH);
        assertThat(d.sets()).extracting(IpSetView::name).containsExactly(podsCInX);
        assertThat(d.removedSets()).containsExactly(podsBInX);
        assertThat(d.policies()).singleElement().satisfies(p -> assertThat(p.ingress().get(0).peers().get(0).ipSet()).isEqualTo(podsCInX));
    }

    @Test
    void invalidPolicyIsReportedAndStillIsolates() {
        compiler.upsertPolicy(NetpolModel.policy("""
                metadata: {name: bad}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/40}}]}]
                """));
        CompileDelta d = compiler.flush(Instant.EPOCH);
        assertThat(d.invalid()).containsOnlyKeys("x/bad");
        assertThat(d.invalid().get("x/bad")).singleElement().asString().contains("spec.ingress[0].from[0].ipBlock.cidr");
        assertThat(d.policies()).singleElement().satisfies(p -> {
            assertThat(p.policyTypes()).containsExactly("Ingress");
            assertThat(p.ingress()).as("the bad rule is dropped, not opened").isEmpty();
        });
    }

    @Test
    void egressNamedPortWithoutPeersReferencesTheAllPodsSet() {
        compiler.upsertPolicy(NetpolModel.policy("""
                metadata: {name: named}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  policyTypes: [Egress]
                  egress: [{ports: [{port: serve-80-tcp}]}]
                """));
        CompileDelta d = compiler.flush(Instant.EPOCH);
        String all = SetNames.of(PolicyCompiler.ALL_PODS);
        assertThat(d.policies().get(0).egress().get(0).namedPortSet()).isEqualTo(all);
        assertThat(d.sets().stream().filter(s -> s.name().equals(all)).findFirst().orElseThrow().members()).hasSize(9)
                .allSatisfy(m -> assertThat(m.namedPorts()).hasSize(6));
    }
}
