package io.netplane.policy.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.labels.LabelSelector;
import io.netplane.policy.model.NamespaceInfo;
import io.netplane.policy.model.PodInfo;
import io.netplane.policy.model.PolicySpec;
import io.netplane.policy.model.PolicySpec.IpBlockSpec;
import io.netplane.policy.model.PolicySpec.PeerSpec;
import io.netplane.policy.model.PolicySpec.PortSpec;
import io.netplane.policy.model.PolicySpec.RuleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The policy operator's edge mapper: cuts Namespaces, Pods and NetworkPolicies down to the model's records, once, at
 * the edge.
 */
public final class PolicyInputs {
    private PolicyInputs() {
    }

    public static NamespaceInfo namespace(Namespace ns) {
        return new NamespaceInfo(ns.getMetadata().getName(), ns.getMetadata().getLabels());
    }

    public static PodInfo pod(Pod pod) {
        var spec = pod.getSpec();
        var status = pod.getStatus();
        List<String> ips = new ArrayList<>();
        if (status != null && status.getPodIPs() != null && !status.getPodIPs().isEmpty()) {
            status.getPodIPs().stream().map(PodIP::getIp).filter(Objects::nonNull).forEach(ips::add);
        } else if (status != null && status.getPodIP() != null) {
            ips.add(status.getPodIP());
        }
        boolean finished = status != null && ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase()));
        List<ContainerPortView> ports = new ArrayList<>();
        if (spec != null) {
            for (Container c : spec.getContainers()) {
                for (ContainerPort p : c.getPorts()) {
                    ports.add(new ContainerPortView(p.getName(), p.getContainerPort() == null ? 0 : p.getContainerPort(),
                            p.getProtocol() == null ? "TCP" : p.getProtocol()));
                }
            }
        }
        return new PodInfo(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getLabels(),
                finished ? List.of() : ips, spec == null ? null : spec.getNodeName(), ports,
                spec != null && Boolean.TRUE.equals(spec.getHostNetwork()));
    }

    /** @throws IllegalArgumentException when a selector uses an unknown operator (the API server rejects these) */
    public static PolicySpec policy(NetworkPolicy np) {
        var spec = np.getSpec();
        List<RuleSpec> ingress = new ArrayList<>();
        List<RuleSpec> egress = new ArrayList<>();
        List<String> types = List.of();
        LabelSelector podSelector = LabelSelector.EVERYTHING;
        if (spec != null) {
            podSelector = selector(spec.getPodSelector());
            types = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
            for (NetworkPolicyIngressRule r : spec.getIngress()) {
                ingress.add(new RuleSpec(peers(r.getFrom()), ports(r.getPorts())));
            }
            for (NetworkPolicyEgressRule r : spec.getEgress()) {
                egress.add(new RuleSpec(peers(r.getTo()), ports(r.getPorts())));
            }
        }
        var md = np.getMetadata();
        return new PolicySpec(md.getNamespace(), md.getName(), md.getResourceVersion(), podSelector == null
                ? LabelSelector.EVERYTHING : podSelector, types, ingress, egress);
    }

    private static List<PeerSpec> peers(List<NetworkPolicyPeer> peers) {
        List<PeerSpec> out = new ArrayList<>();
        if (peers != null) {
            for (NetworkPolicyPeer p : peers) {
                IpBlockSpec block = p.getIpBlock() == null ? null : new IpBlockSpec(p.getIpBlock().getCidr(), p.getIpBlock().getExcept());
                out.add(new PeerSpec(selector(p.getPodSelector()), selector(p.getNamespaceSelector()), block));
            }
        }
        return out;
    }

    private static List<PortSpec> ports(List<NetworkPolicyPort> ports) {
        List<PortSpec> out = new ArrayList<>();
        if (ports != null) {
            for (NetworkPolicyPort p : ports) {
                IntOrString port = p.getPort();
                Integer number = port == null ? null : port.getIntVal();
                String name = port == null ? null : port.getStrVal();
                out.add(new PortSpec(p.getProtocol(), number, name, p.getEndPort()));
            }
        }
        return out;
    }

    static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s) {
        if (s == null) {
            return null;
        }
        List<LabelSelector.Requirement> reqs = new ArrayList<>();
        if (s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                reqs.add(new LabelSelector.Requirement(r.getKey(), LabelSelector.Operator.parse(r.getOperator()), r.getValues()));
            }
        }
        return new LabelSelector(s.getMatchLabels(), reqs);
    }
}
