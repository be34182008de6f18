package io.netplane.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid policies (which the API server rejects, but which may still reach us): the error the user is told,
 * and that the rest is enforced without failing open: the policy still isolates x/a, the bad rule allows
 * nothing, and the good rule (from x/b) still allows.
 */
class PolicyCheckerTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("bad CIDR", "{ipBlock: {cidr: 10.0.0.0/33}}", "[]",
                        "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\""),
                Arguments.of("not a CIDR", "{ipBlock: {cidr: banana}}", "[]",
                        "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"banana\""),
                Arguments.of("except outside its CIDR", "{ipBlock: {cidr: 10.0.1.0/24, except: [10.0.2.0/24]}}", "[]",
                        "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"10.0.2.0/24\": must be a strict subset of `cidr`"),
                Arguments.of("except equal to its CIDR", "{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}}", "[]",
                        "must be a strict subset of `cidr`"),
                Arguments.of("except of the other family", "{ipBlock: {cidr: 10.0.0.0/8, except: ['fd00::/64']}}", "[]",
                        "must be a strict subset of `cidr`"),
                Arguments.of("endPort below port", "{namespaceSelector: {}}", "[{port: 81, endPort: 80}]",
                        "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`"),
                Arguments.of("endPort with a named port", "{namespaceSelector: {}}", "[{port: serve-80-tcp, endPort: 90}]",
                        "spec.ingress[0].ports[0].endPort: Forbidden: may not be specified when `port` is non-numeric"),
                Arguments.of("port out of range", "{namespaceSelector: {}}", "[{port: 70000}]",
                        "spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"),
                Arguments.of("unknown protocol", "{namespaceSelector: {}}", "[{port: 80, protocol: ICMP}]",
                        "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\""),
                Arguments.of("ipBlock with a selector", "{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}", "[]",
                        "spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer"),
                Arguments.of("empty peer", "{}", "[]", "spec.ingress[0].from[0]: Required value: must specify a peer"),
                Arguments.of("bad label value", "{podSelector: {matchLabels: {pod: 'a b'}}}", "[]",
                        "spec.ingress[0].from[0].podSelector.matchLabels[pod]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidRuleIsReportedAndDroppedButTheRestIsEnforced(String name, String badPeer, String badPorts, String error) {
        PolicySpec spec = NetpolModel.policy("""
                metadata: {name: p}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - from: [%s]
                    ports: %s
                  - from: [{podSelector: {matchLabels: {pod: b}}}]
                """.formatted(badPeer, badPorts));
        CheckedPolicy checked = PolicyChecker.check(spec);
        assertThat(checked.errors()).as("errors").anySatisfy(e -> assertThat(e).contains(error));
        assertThat(checked.isolatesIngress()).isTrue();
        assertThat(checked.ingress()).extracting(CheckedRule::index).containsExactly(1);

        ClusterSnapshot cluster = NetpolModel.cluster(List.of(spec));
        List<PodInfo> pods = NetpolModel.pods();
        ReachabilityMatrix m = ReachabilityMatrix.compute(cluster, pods, 80, Protocol.TCP);
        assertThat(m.allowed("x/b", "x/a")).as("valid rule still allows x/b").isTrue();
        assertThat(m.allowed("x/c", "x/a")).as("isolation kept").isFalse();
        assertThat(m.allowed("y/a", "x/a")).as("isolation kept").isFalse();
        assertThat(PolicyEvaluator.evaluate(cluster, Endpoint.external(IpAddress.parse("10.0.0.7")), Endpoint.of(pods.get(0)),
                80, Protocol.TCP).allowed()).as("no CIDR opened").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validPoliciesHaveNoErrors(String name, String yaml) {
        assertThat(PolicyChecker.check(NetpolModel.policy(yaml)).errors()).isEmpty();
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("docs example test-network-policy", """
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
                        """),
                Arguments.of("docs example multi-port-egress", """
                        metadata: {name: multi-port-egress, namespace: default}
                        spec:
                          podSelector: {matchLabels: {role: db}}
                          policyTypes: [Egress]
                          egress:
                          - to: [{ipBlock: {cidr: 10.0.0.0/24}}]
                            ports: [{protocol: TCP, port: 32000, endPort: 32768}]
                        """),
                Arguments.of("IPv6 ipBlock with except", """
                        metadata: {name: v6}
                        spec:
                          podSelector: {}
                          ingress: [{from: [{ipBlock: {cidr: 'fd00::/48', except: ['fd00::/64']}}]}]
                        """));
    }
}
