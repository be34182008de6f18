package io.netplane.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Single verdicts: the deciding policies and rules per direction, outside addresses, and the docs example. */
class PolicyEvaluatorTest {
    private static final String DOCS_EXAMPLE = """
            metadata: {name: test-network-policy, namespace: default}
            spec:
              podSelector: {matchLabels: {role: db}}
              policyTypes: [Ingress, Egress]
              ingress:
              - from:
                - ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}
                - namespaceSelector: {matchLabels: {project: myproject}}
                - podSelector: {matchLabels: {role: frontend}}
                ports: [{protocol: TCP, port: 6379}]
              egress:
              - to: [{ipBlock: {cidr: 10.0.0.0/24}}]
                ports: [{protocol: TCP, port: 5978}]
            """;

    private final PodInfo db = NetpolModel.pod("default", "db", "10.1.0.1", Map.of("role", "db"));
    private final PodInfo frontend = NetpolModel.pod("default", "fe", "10.1.0.2", Map.of("role", "frontend"));
    private final PodInfo other = NetpolModel.pod("default", "other", "10.1.0.3", Map.of("role", "other"));
    private final PodInfo mine = NetpolModel.pod("mine", "m", "10.2.0.1", Map.of());
    private final ClusterSnapshot cluster = ClusterSnapshot.of(
            List.of(new NamespaceInfo("default", Map.of()), new NamespaceInfo("mine", Map.of("project", "myproject"))),
            List.of(db, frontend, other, mine), List.of(NetpolModel.policy(DOCS_EXAMPLE)));

    @Test
    void docsExampleIngressFromFrontendOn6379() {
        Verdict v = PolicyEvaluator.evaluate(cluster, Endpoint.of(frontend), Endpoint.of(db), 6379, Protocol.TCP);
        assertThat(v.allowed()).isTrue();
        assertThat(v.egress().isolated()).as("frontend is not isolated for egress").isFalse();
        assertThat(v.ingress().isolatingPolicies()).containsExactly("default/test-network-policy");
        assertThat(v.ingress().allowedBy()).containsExactly(new RuleRef("default/test-network-policy", Direction.Ingress, 0));
    }

    @Test
    void docsExampleOtherPortDeniedWithReason() {
        Verdict v = PolicyEvaluator.evaluate(cluster, Endpoint.of(frontend), Endpoint.of(db), 6380, Protocol.TCP);
        assertThat(v.allowed()).isFalse();
        assertThat(v.ingress().reason()).contains("default/db is isolated for Ingress by [default/test-network-policy]");
    }

    @Test
    void docsExampleNamespaceAndIpBlockSources() {
        assertThat(PolicyEvaluator.evaluate(cluster, Endpoint.of(mine), Endpoint.of(db), 6379, Protocol.TCP).allowed()).isTrue();
        assertThat(PolicyEvaluator.evaluate(cluster, Endpoint.of(other), Endpoint.of(db), 6379, Protocol.TCP).allowed()).isFalse();
        assertThat(ext("172.17.0.9", db, 6379)).as("172.17.0.0-172.17.0.255").isTrue();
        assertThat(ext("172.17.2.9", db, 6379)).as("172.17.2.0-172.17.255.255").isTrue();
        assertThat(ext("172.17.1.9", db, 6379)).as("except 172.17.1.0/24").isFalse();
        assertThat(ext("172.18.0.1", db, 6379)).isFalse();
    }

    @Test
    void docsExampleEgressToCidrOn5978Only() {
        Endpoint outside = Endpoint.external(IpAddress.parse("10.0.0.20"));
        assertThat(PolicyEvaluator.evaluate(cluster, Endpoint.of(db), outside, 5978, Protocol.TCP).allowed()).isTrue();
        assertThat(PolicyEvaluator.evaluate(cluster, Endpoint.of(db), outside, 5979, Protocol.TCP).allowed()).isFalse();
        Verdict toFrontend = PolicyEvaluator.evaluate(cluster, Endpoint.of(db), Endpoint.of(frontend), 5978, Protocol.TCP);
        assertThat(toFrontend.allowed()).as("db egress only to 10.0.0.0/24").isFalse();
        assertThat(toFrontend.egress().isolated()).isTrue();
        assertThat(toFrontend.ingress().allowed()).as("frontend ingress is open").isTrue();
    }

    @Test
    void hostNetworkPodsAreNotSelectedAndMatchOnlyByAddress() {
        PodInfo host = new PodInfo("default", "host", Map.of("role", "db"), List.of("192.168.0.1"), "n", List.of(), true);
        ClusterSnapshot c = ClusterSnapshot.of(List.of(new NamespaceInfo("default", Map.of())), List.of(host, frontend),
                List.of(NetpolModel.policy(DOCS_EXAMPLE)));
        Verdict v = PolicyEvaluator.evaluate(c, Endpoint.of(frontend), Endpoint.of(host), 9999, Protocol.TCP);
        assertThat(v.allowed()).isTrue();
        assertThat(v.ingress().applicable()).isFalse();
    }

    @Test
    void loopbackIsAlwaysAllowed() {
        assertThat(PolicyEvaluator.evaluate(cluster, Endpoint.of(db), Endpoint.of(db), 1, Protocol.UDP).allowed()).isTrue();
    }

    private boolean ext(String ip, PodInfo server, int port) {
        return PolicyEvaluator.evaluate(cluster, Endpoint.external(IpAddress.parse(ip)), Endpoint.of(server), port, Protocol.TCP).allowed();
    }
}
