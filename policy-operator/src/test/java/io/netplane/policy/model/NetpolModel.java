package io.netplane.policy.model;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.policy.reconciler.PolicyInputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The upstream netpol e2e model: namespaces x, y, z (label ns=&lt;name&gt;), each with Pods a, b, c (label
 * pod=&lt;name&gt;) serving ports 80 and 81 on TCP, UDP and SCTP under the names serve-80-tcp, serve-81-udp, ...
 * Pod IPs are 10.0.&lt;ns index&gt;.&lt;pod index&gt; (x/a = 10.0.1.1, y/b = 10.0.2.2).
 */
public final class NetpolModel {
    public static final List<String> NAMESPACES = List.of("x", "y", "z");
    public static final List<String> PODS = List.of("a", "b", "c");

    private NetpolModel() {
    }

    public static List<NamespaceInfo> namespaces() {
        return NAMESPACES.stream().map(n -> new NamespaceInfo(n, Map.of("ns", n))).toList();
    }

    public static List<PodInfo> pods() {
        List<PodInfo> out = new ArrayList<>();
        for (int n = 0; n < NAMESPACES.size(); n++) {
            for (int p = 0; p < PODS.size(); p++) {
                out.add(pod(NAMESPACES.get(n), PODS.get(p), "10.0." + (n + 1) + "." + (p + 1), Map.of("pod", PODS.get(p))));
            }
        }
        return out;
    }

    public static PodInfo pod(String ns, String name, String ip, Map<String, String> labels) {
        List<ContainerPortView> ports = new ArrayList<>();
        for (int port : new int[] {80, 81}) {
            for (String proto : new String[] {"TCP", "UDP", "SCTP"}) {
                ports.add(new ContainerPortView("serve-" + port + "-" + proto.toLowerCase(), port, proto));
            }
        }
        return new PodInfo(ns, name, labels, List.of(ip), "node-1", ports, false);
    }

    /** Parses NetworkPolicy YAML documents (namespace x when the document has none). */
    public static List<PolicySpec> policies(String... yamls) {
        return Arrays.stream(yamls).map(NetpolModel::policy).toList();
    }

    public static PolicySpec policy(String yaml) {
        NetworkPolicy np = Serialization.unmarshal(yaml, NetworkPolicy.class);
        if (np.getMetadata().getNamespace() == null) {
            np.getMetadata().setNamespace("x");
        }
        if (np.getMetadata().getResourceVersion() == null) {
            np.getMetadata().setResourceVersion("1");
        }
        return PolicyInputs.policy(np);
    }

    public static ClusterSnapshot cluster(List<PolicySpec> policies) {
        return ClusterSnapshot.of(namespaces(), pods(), policies);
    }
}
