package io.netplane.policy.model;

import static io.netplane.policy.model.Protocol.SCTP;
import static io.netplane.policy.model.Protocol.TCP;
import static io.netplane.policy.model.Protocol.UDP;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases of the upstream NetworkPolicy e2e suite (test/e2e/network/netpol/network_policy.go) and the
 * documentation's recipes, as truth tables over the x/y/z × a/b/c model: each row is the policies, the probed
 * port/protocol, and the expected table built the way the upstream test builds it.
 */
class NetpolE2eCasesTest {

    public static Stream<Arguments> cases() {
        return Stream.of(
                row("no policies: everything allowed", List.of(), 80, TCP, r -> r),
                row("default-deny-ingress (docs recipe)", List.of("""
                        metadata: {name: default-deny-ingress}
                        spec:
                          podSelector: {}
                          policyTypes: [Ingress]
                        """), 80, TCP, r -> r.ingressTo("x/*", false)),
                row("default-deny-ingress without policyTypes: defaulted to Ingress", List.of("""
                        metadata: {name: deny}
                        spec: {podSelector: {}}
                        """), 80, TCP, r -> r.ingressTo("x/*", false)),
                row("allow-all-ingress (docs recipe): one empty rule", List.of("""
                        metadata: {name: deny}
                        spec: {podSelector: {}}
                        """, """
                        metadata: {name: allow-all-ingress}
                        spec:
                          podSelector: {}
                          ingress: [{}]
                          policyTypes: [Ingress]
                        """), 80, TCP, r -> r),
                row("empty ingress list isolates, one empty rule allows all", List.of("""
                        metadata: {name: empty-list}
                        spec: {podSelector: {matchLabels: {pod: a}}, ingress: []}
                        """, """
                        metadata: {name: one-empty-rule}
                        spec: {podSelector: {matchLabels: {pod: b}}, ingress: [{}]}
                        """), 80, TCP, r -> r.ingressTo("x/a", false)),
                row("default-deny-egress (docs recipe)", List.of("""
                        metadata: {name: default-deny-egress}
                        spec:
                          podSelector: {}
                          policyTypes: [Egress]
                        """), 80, TCP, r -> r.egressFrom("x/*", false)),
                row("allow-all-egress (docs recipe)", List.of("""
                        metadata: {name: default-deny-egress}
                        spec: {podSelector: {}, policyTypes: [Egress]}
                        """, """
                        metadata: {name: allow-all-egress}
                        spec:
                          podSelector: {}
                          egress: [{}]
                          policyTypes: [Egress]
                        """), 80, TCP, r -> r),
                row("default-deny-all (docs recipe)", List.of("""
                        metadata: {name: default-deny-all}
                        spec:
                          podSelector: {}
                          policyTypes: [Ingress, Egress]
                        """), 80, TCP, r -> r.ingressTo("x/*", false).egressFrom("x/*", false)),
                row("egress rules without policyTypes: defaulted to Ingress and Egress", List.of("""
                        metadata: {name: egress-only-rules}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          egress: [{to: [{namespaceSelector: {matchLabels: {ns: y}}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).egressFrom("x/a", false).expect("x/a", "y/*", true)),
                row("policyTypes [Egress] ignores ingress rules and leaves ingress open", List.of("""
                        metadata: {name: egress-only}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
                          egress: [{to: [{podSelector: {matchLabels: {pod: b}}}]}]
                        """), 80, TCP, r -> r.egressFrom("x/a", false).expect("x/a", "x/b", true)),
                row("allow traffic from pods within the server namespace based on PodSelector", List.of("""
                        metadata: {name: x-a-allows-x-b}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("x/b", "x/a", true)),
                row("allow ingress from pods in all namespaces (empty namespaceSelector)", List.of("""
                        metadata: {name: allow-all-ns}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {}}]}]
                        """), 80, TCP, r -> r),
                row("deny ingress from pods on other namespaces (empty podSelector peer)", List.of("""
                        metadata: {name: same-ns-only}
                        spec:
                          podSelector: {}
                          ingress: [{from: [{podSelector: {}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/*", false).expect("x/*", "x/*", true)),
                row("allow traffic only from a different namespace, based on NamespaceSelector", List.of("""
                        metadata: {name: from-y}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("y/*", "x/a", true)),
                row("kubernetes.io/metadata.name selects a namespace by name", List.of("""
                        metadata: {name: from-z-by-name}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("z/*", "x/a", true)),
                row("PodSelector with MatchExpressions", List.of("""
                        metadata: {name: pod-in-b}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("x/b", "x/a", true)),
                row("NamespaceSelector with MatchExpressions", List.of("""
                        metadata: {name: ns-in-y}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ns, operator: In, values: [y]}]}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("y/*", "x/a", true)),
                row("PodSelector OR NamespaceSelector (separate peers)", List.of("""
                        metadata: {name: separate-peers}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress:
                          - from:
                            - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                            - podSelector: {matchLabels: {pod: b}}
                        """), 80, TCP, r -> r.expect("x/c", "x/a", false)),
                row("PodSelector AND NamespaceSelector (one peer)", List.of("""
                        metadata: {name: one-peer}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress:
                          - from:
                            - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                              podSelector: {matchLabels: {pod: b}}
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("y/b", "x/a", true).expect("z/b", "x/a", true)),
                row("multiple PodSelectors and NamespaceSelectors", List.of("""
                        metadata: {name: multi}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress:
                          - from:
                            - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                              podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("y/b", "x/a", true).expect("y/c", "x/a", true)
                        .expect("z/b", "x/a", true).expect("z/c", "x/a", true)),
                row("any PodSelectors (two podSelector peers)", List.of("""
                        metadata: {name: b-or-c}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}, {podSelector: {matchLabels: {pod: c}}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("x/b", "x/a", true).expect("x/c", "x/a", true)),
                row("a pod in a different namespace based on PodSelector and NamespaceSelector", List.of("""
                        metadata: {name: y-a}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("y/a", "x/a", true)),
                row("empty podSelector and namespaceSelector in one peer: every Pod of every namespace", List.of("""
                        metadata: {name: all-pods}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {}, podSelector: {}}]}]
                        """), 80, TCP, r -> r),
                row("Ports: policy on port 81 probed on 80", List.of("""
                        metadata: {name: port-81}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 81}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false)),
                row("Ports: policy on port 81 probed on 81", List.of("""
                        metadata: {name: port-81}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 81, protocol: TCP}]}]
                        """), 81, TCP, r -> r.ingressTo("x/a", false).expect("y/*", "x/a", true)),
                row("multiple stacked policies with overlapping podSelectors: union (probe 80)", List.of("""
                        metadata: {name: allow-80}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80}]}]
                        """, """
                        metadata: {name: allow-81}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 81}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("y/*", "x/a", true)),
                row("named port serve-81-tcp probed on 81", List.of("""
                        metadata: {name: named-81}
                        spec:
                          podSelector: {}
                          ingress: [{ports: [{port: serve-81-tcp}]}]
                        """), 81, TCP, r -> r),
                row("named port serve-81-tcp probed on 80", List.of("""
                        metadata: {name: named-81}
                        spec:
                          podSelector: {}
                          ingress: [{ports: [{port: serve-81-tcp}]}]
                        """), 80, TCP, r -> r.ingressTo("x/*", false)),
                row("named port with the wrong protocol does not resolve (serve-80-tcp as UDP)", List.of("""
                        metadata: {name: named-udp}
                        spec:
                          podSelector: {}
                          ingress: [{ports: [{port: serve-80-tcp, protocol: UDP}]}]
                        """), 80, UDP, r -> r.ingressTo("x/*", false)),
                row("ingress from a namespace on one named port", List.of("""
                        metadata: {name: y-named-80}
                        spec:
                          podSelector: {}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: serve-80-tcp}]}]
                        """), 80, TCP, r -> r.ingressTo("x/*", false).expect("y/*", "x/*", true)),
                row("egress on one named port (resolved on the destination Pod), probed on 80", List.of("""
                        metadata: {name: egress-named}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{ports: [{port: serve-80-tcp}]}]
                        """), 80, TCP, r -> r),
                row("egress on one named port, probed on 81", List.of("""
                        metadata: {name: egress-named}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{ports: [{port: serve-80-tcp}]}]
                        """), 81, TCP, r -> r.egressFrom("x/a", false)),
                row("deny egress from pods based on PodSelector", List.of("""
                        metadata: {name: deny-egress-a}
                        spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress]}
                        """), 80, TCP, r -> r.egressFrom("x/a", false)),
                row("Ingress and Egress specified together", List.of("""
                        metadata: {name: both}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Ingress, Egress]
                          ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
                          egress: [{ports: [{port: 80}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("x/b", "x/a", true)),
                row("Ingress and Egress specified together, probed on 81", List.of("""
                        metadata: {name: both}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Ingress, Egress]
                          ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
                          egress: [{ports: [{port: 80}]}]
                        """), 81, TCP, r -> r.ingressTo("x/a", false).expect("x/b", "x/a", true).egressFrom("x/a", false)),
                row("client egress denies even though the server allows all ingress", List.of("""
                        metadata: {name: x-a-egress-to-y}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{to: [{namespaceSelector: {matchLabels: {ns: y}}}]}]
                        """, """
                        metadata: {name: z-allow-all, namespace: z}
                        spec: {podSelector: {}, ingress: [{}]}
                        """), 80, TCP, r -> r.egressFrom("x/a", false).expect("x/a", "y/*", true)),
                row("server ingress denies even though the client allows all egress", List.of("""
                        metadata: {name: x-allow-all-egress}
                        spec: {podSelector: {}, policyTypes: [Egress], egress: [{}]}
                        """, """
                        metadata: {name: y-deny, namespace: y}
                        spec: {podSelector: {}}
                        """), 80, TCP, r -> r.ingressTo("y/*", false)),
                row("egress to a server in a different namespace based on PodSelector and NamespaceSelector", List.of("""
                        metadata: {name: egress-y-a}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{to: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]}]
                        """), 80, TCP, r -> r.egressFrom("x/a", false).expect("x/a", "y/a", true)),
                row("any port on a specific protocol: TCP allowed", List.of("""
                        metadata: {name: tcp-any}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{ports: [{protocol: TCP}]}]
                        """), 81, TCP, r -> r),
                row("any port on a specific protocol: UDP denied", List.of("""
                        metadata: {name: tcp-any}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{ports: [{protocol: TCP}]}]
                        """), 81, UDP, r -> r.ingressTo("x/a", false)),
                row("multiple ingress policies: allow-all takes precedence", List.of("""
                        metadata: {name: allow-80}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{ports: [{port: 80}]}]
                        """, """
                        metadata: {name: allow-all}
                        spec: {podSelector: {matchLabels: {pod: a}}, ingress: [{}]}
                        """), 81, TCP, r -> r),
                row("multiple egress policies: allow-all takes precedence", List.of("""
                        metadata: {name: allow-80}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{ports: [{port: 80}]}]
                        """, """
                        metadata: {name: allow-all}
                        spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{}]}
                        """), 81, TCP, r -> r),
                row("egress to a server in a CIDR block", List.of("""
                        metadata: {name: egress-cidr}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{to: [{ipBlock: {cidr: 10.0.2.2/32}}]}]
                        """), 80, TCP, r -> r.egressFrom("x/a", false).expect("x/a", "y/b", true)),
                row("except clause in egress CIDR block", List.of("""
                        metadata: {name: egress-except}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.2.2/32]}}]}]
                        """), 80, TCP, r -> r.expect("x/a", "y/b", false)),
                row("an IP in one policy's CIDR and another's except is allowed (union)", List.of("""
                        metadata: {name: egress-except}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.2.2/32]}}]}]
                        """, """
                        metadata: {name: egress-y-b}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{to: [{ipBlock: {cidr: 10.0.2.2/32}}]}]
                        """), 80, TCP, r -> r),
                row("ingress ipBlock with except (docs example shape)", List.of("""
                        metadata: {name: ingress-block}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{ipBlock: {cidr: 10.0.2.0/24, except: [10.0.2.1/32]}}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false).expect("y/b", "x/a", true).expect("y/c", "x/a", true)),
                row("ingress and egress controlled independently", List.of("""
                        metadata: {name: deny-egress-a}
                        spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress]}
                        """, """
                        metadata: {name: allow-ingress-a}
                        spec: {podSelector: {matchLabels: {pod: a}}, ingress: [{}]}
                        """), 80, TCP, r -> r.egressFrom("x/a", false)),
                row("SCTP is not TCP: an SCTP policy probed over TCP", List.of("""
                        metadata: {name: sctp-80}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{ports: [{port: 80, protocol: SCTP}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false)),
                row("SCTP policy probed over SCTP", List.of("""
                        metadata: {name: sctp-80}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{ports: [{port: 80, protocol: SCTP}]}]
                        """), 80, SCTP, r -> r),
                row("only UDP allowed: TCP denied", List.of("""
                        metadata: {name: udp-81}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{ports: [{port: 81, protocol: UDP}]}]
                        """), 81, TCP, r -> r.ingressTo("x/a", false)),
                row("only UDP allowed: UDP allowed", List.of("""
                        metadata: {name: udp-81}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{ports: [{port: 81, protocol: UDP}]}]
                        """), 81, UDP, r -> r),
                row("port range with endPort (docs example shape), inside", List.of("""
                        metadata: {name: range}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80, endPort: 81}]}]
                        """), 81, TCP, r -> r.ingressTo("x/a", false).expect("y/*", "x/a", true)),
                row("port range with endPort, outside", List.of("""
                        metadata: {name: range}
                        spec:
                          podSelector: {matchLabels: {pod: a}}
                          ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 78, endPort: 79}]}]
                        """), 80, TCP, r -> r.ingressTo("x/a", false)),
                row("policies in another namespace do not apply", List.of("""
                        metadata: {name: deny, namespace: y}
                        spec: {podSelector: {matchLabels: {pod: a}}}
                        """), 80, TCP, r -> r.ingressTo("y/a", false)),
                row("a podSelector matching nothing isolates nobody", List.of("""
                        metadata: {name: nobody}
                        spec: {podSelector: {matchLabels: {pod: zzz}}}
                        """), 80, TCP, r -> r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void truthTable(String name, List<String> yamls, int port, Protocol protocol, UnaryOperator<Reachability> expect) {
        List<PodInfo> pods = NetpolModel.pods();
        List<String> keys = pods.stream().map(PodInfo::key).toList();
        ClusterSnapshot cluster = NetpolModel.cluster(NetpolModel.policies(yamls.toArray(String[]::new)));
        cluster.policies().values().forEach(ps -> ps.forEach(p -> assertThat(p.errors()).as(p.key()).isEmpty()));

        ReachabilityMatrix actual = ReachabilityMatrix.compute(cluster, pods, port, protocol);
        boolean[][] expected = expect.apply(new Reachability(keys)).table();

        assertThat(Reachability.render(keys, actual.allowed()))
                .as("%s on %s/%d (rows: client, columns: server)", name, protocol, port)
                .isEqualTo(Reachability.render(keys, expected));
    }

    private static Arguments row(String name, List<String> yamls, int port, Protocol protocol, UnaryOperator<Reachability> expect) {
        return Arguments.of(name, yamls, port, protocol, expect);
    }
}
