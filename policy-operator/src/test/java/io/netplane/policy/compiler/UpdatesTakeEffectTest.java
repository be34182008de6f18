package io.netplane.policy.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.policy.model.NamespaceInfo;
import io.netplane.policy.model.NetpolModel;
import io.netplane.policy.model.PodInfo;
import io.netplane.policy.model.Protocol;
import io.netplane.policy.model.ReachabilityMatrix;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream e2e cases about changes ("should allow ingress access from updated namespace", "... from updated
 * pod", "should deny ingress access to updated pod", "should enforce updated policy", "should stop enforcing
 * policies after they are deleted"), asked of the live compiler state the explain API reads.
 */
class UpdatesTakeEffectTest {
    private final PolicyCompiler compiler = new PolicyCompiler();
    private final List<PodInfo> pods = NetpolModel.pods();

    @BeforeEach
    void cluster() {
        NetpolModel.namespaces().forEach(ns -> compiler.upsertNamespace(ns, "1"));
        pods.forEach(p -> compiler.upsertPod(p, "1"));
    }

    private boolean allowed(String from, String to) {
        compiler.flush(Instant.EPOCH);
        List<PodInfo> now = pods.stream().map(p -> compiler.pod(p.key())).toList();
        return ReachabilityMatrix.compute(compiler, now, 80, Protocol.TCP).allowed(from, to);
    }

    @Test
    void ingressFromUpdatedNamespace() {
        compiler.upsertPolicy(NetpolModel.policy("""
                metadata: {name: from-ns2-updated}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{namespaceSelector: {matchLabels: {ns2: updated}}}]}]
                """));
        assertThat(allowed("y/b", "x/a")).isFalse();
        compiler.upsertNamespace(new NamespaceInfo("y", Map.of("ns", "y", "ns2", "updated")), "2");
        assertThat(allowed("y/b", "x/a")).isTrue();
        assertThat(allowed("z/b", "x/a")).isFalse();
    }

    @Test
    void ingressFromUpdatedPod() {
        compiler.upsertPolicy(NetpolModel.policy("""
                metadata: {name: from-pod2-updated}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{podSelector: {matchLabels: {pod2: updated}}}]}]
                """));
        assertThat(allowed("x/b", "x/a")).isFalse();
        relabel("x/b", Map.of("pod", "b", "pod2", "updated"));
        assertThat(allowed("x/b", "x/a")).isTrue();
    }

    @Test
    void denyIngressToUpdatedPod() {
        compiler.upsertPolicy(NetpolModel.policy("""
                metadata: {name: deny-target-updated}
                spec: {podSelector: {matchLabels: {target: isolated}}}
                """));
        assertThat(allowed("x/b", "x/a")).isTrue();
        relabel("x/a", Map.of("pod", "a", "target", "isolated"));
        assertThat(allowed("x/b", "x/a")).isFalse();
    }

    @Test
    void updatedPolicyIsEnforcedAndDeletedPolicyIsNot() {
        compiler.upsertPolicy(NetpolModel.policy("""
                metadata: {name: p}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
                """));
        assertThat(allowed("x/b", "x/a")).isTrue();
        assertThat(allowed("x/c", "x/a")).isFalse();
        compiler.upsertPolicy(NetpolModel.policy("""
                metadata: {name: p}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{podSelector: {matchLabels: {pod: c}}}]}]
                """));
        assertThat(allowed("x/b", "x/a")).isFalse();
        assertThat(allowed("x/c", "x/a")).isTrue();
        compiler.deletePolicy("x", "p");
        assertThat(allowed("x/b", "x/a")).isTrue();
        assertThat(compiler.setCount()).isZero();
    }

    private void relabel(String key, Map<String, String> labels) {
        PodInfo p = compiler.pod(key);
        compiler.upsertPod(new PodInfo(p.namespace(), p.name(), labels, p.ips(), p.nodeName(), p.ports(), p.hostNetwork()), "3");
    }
}
