package io.netplane.policy.bench;

import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.labels.LabelSelector;
import io.netplane.policy.model.NamespaceInfo;
import io.netplane.policy.model.PodInfo;
import io.netplane.policy.model.PolicySpec;
import io.netplane.policy.model.PolicySpec.IpBlockSpec;
import io.netplane.policy.model.PolicySpec.PeerSpec;
import io.netplane.policy.model.PolicySpec.PortSpec;
import io.netplane.policy.model.PolicySpec.RuleSpec;
import java.util.List;
import java.util.Map;

/**
 * A deterministic synthetic cluster: namespaces ns-i (labels team=t&lt;i%50&gt;), Pods spread evenly (labels
 * app=a&lt;j%5&gt;, tier=r&lt;j%3&gt;; named ports http 8080, metrics 9090; unique IPs in 10.0.0.0/8), policies spread
 * evenly in three shapes: same-namespace podSelector peer on TCP 8080; cross-namespace (namespaceSelector team +
 * podSelector tier) on the named port http; Ingress+Egress with an ipBlock-with-except egress on UDP 53 and a
 * cross-namespace egress peer.
 */
record SyntheticCluster(int podCount, int policyCount, int namespaceCount) {
    private static final List<ContainerPortView> PORTS =
            List.of(new ContainerPortView("http", 8080, "TCP"), new ContainerPortView("metrics", 9090, "TCP"));

    NamespaceInfo namespace(int i) {
        return new NamespaceInfo("ns-" + i, Map.of("team", "t" + (i % 50)));
    }

    PodInfo pod(int j) {
        return pod(j, "a" + (j / namespaceCount % 5));
    }

    /** Pod j with another app label (a label change). */
    PodInfo pod(int j, String app) {
        return pod("ns-" + (j % namespaceCount), "pod-" + j, j, app, PORTS);
    }

    PolicySpec policy(int k) {
        return policy("ns-" + (k % namespaceCount), "np-" + k, k / namespaceCount, k);
    }

    static PodInfo pod(String ns, String name, int j, String app, List<ContainerPortView> ports) {
        String ip = "10." + ((j >> 16) & 0xff) + "." + ((j >> 8) & 0xff) + "." + (j & 0xff);
        return new PodInfo(ns, name, Map.of("app", app, "tier", "r" + (j % 3)), List.of(ip), "node-" + (j % 500), ports, false);
    }

    private static PolicySpec policy(String ns, String name, int local, int k) {
        LabelSelector selected = LabelSelector.of(Map.of("app", "a" + (local % 5)));
        return switch (local % 3) {
            case 0 -> new PolicySpec(ns, name, "1", selected, List.of(), List.of(new RuleSpec(
                    List.of(new PeerSpec(LabelSelector.of(Map.of("app", "a" + ((local + 1) % 5))), null, null)),
                    List.of(new PortSpec("TCP", 8080, null, null)))), List.of());
            case 1 -> new PolicySpec(ns, name, "1", selected, List.of(), List.of(new RuleSpec(
                    List.of(new PeerSpec(LabelSelector.of(Map.of("tier", "r" + (k % 3))), LabelSelector.of(Map.of("team", "t" + (k % 50))), null)),
                    List.of(new PortSpec(null, null, "http", null)))), List.of());
            default -> new PolicySpec(ns, name, "1", LabelSelector.of(Map.of("tier", "r" + (local % 3))), List.of("Ingress", "Egress"),
                    List.of(new RuleSpec(List.of(new PeerSpec(null, LabelSelector.of(Map.of("team", "t" + (k % 50))), null)), List.of())),
                    List.of(new RuleSpec(List.of(new PeerSpec(null, null, new IpBlockSpec("10.0.0.0/8", List.of("10.1.0.0/16")))),
                            List.of(new PortSpec("UDP", 53, null, null))),
                            new RuleSpec(List.of(new PeerSpec(LabelSelector.of(Map.of("tier", "r" + (k % 3))),
                                    LabelSelector.of(Map.of("team", "t" + ((k + 7) % 50))), null)), List.of())));
        };
    }
}
