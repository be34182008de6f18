package io.netplane.policy.compiler;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.PolicyView.PeerView;
import io.netplane.api.events.PolicyView.PortView;
import io.netplane.api.events.PolicyView.RuleView;
import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides a connection from nothing but the published views (what a consumer such as node-proxy sees), by
 * addresses only. Used to prove the compiled form carries the same semantics as the evaluator.
 */
record CompiledDecision(Collection<PolicyView> policies, Map<String, IpSetView> sets) {

    boolean allowed(String clientIp, String serverIp, int port, String protocol) {
        if (clientIp.equals(serverIp)) {
            return true;
        }
        return direction("Egress", clientIp, serverIp, port, protocol) && direction("Ingress", serverIp, clientIp, port, protocol);
    }

    private boolean direction(String type, String subjectIp, String peerIp, int port, String protocol) {
        boolean isolated = false;
        String destIp = type.equals("Ingress") ? subjectIp : peerIp;
        for (PolicyView p : policies) {
            if (!p.policyTypes().contains(type) || member(p.podSelectorSet(), subjectIp).isEmpty()) {
                continue;
            }
            isolated = true;
            for (RuleView r : type.equals("Ingress") ? p.ingress() : p.egress()) {
                List<String> resolveIn = new ArrayList<>();
                resolveIn.add(type.equals("Ingress") ? p.podSelectorSet() : r.namedPortSet());
                if (peers(r, peerIp, resolveIn) && ports(r, port, protocol, destIp, resolveIn)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private boolean peers(RuleView r, String ip, List<String> resolveIn) {
        if (r.peers().isEmpty()) {
            return true;
        }
        boolean any = false;
        for (PeerView peer : r.peers()) {
            if (peer.ipSet() != null && member(peer.ipSet(), ip).isPresent()) {
                resolveIn.add(peer.ipSet());
                any = true;
            }
            if (peer.cidr() != null) {
                IpAddress a = IpAddress.parse(ip);
                Cidr c = Cidr.parse(peer.cidr());
                if (c.contains(a) && peer.except().stream().map(Cidr::parse).noneMatch(e -> e.contains(a))) {
                    any = true;
                }
            }
        }
        return any;
    }

    private boolean ports(RuleView r, int port, String protocol, String destIp, List<String> resolveIn) {
        if (r.ports().isEmpty()) {
            return true;
        }
        for (PortView p : r.ports()) {
            if (!p.protocol().equals(protocol)) {
                continue;
            }
            if (p.portName() != null) {
                boolean named = resolveIn.stream().filter(Objects::nonNull).map(s -> member(s, destIp)).flatMap(Optional::stream)
                        .flatMap(m -> m.namedPorts().stream())
                        .anyMatch(cp -> cp.name().equals(p.portName()) && cp.protocol().equals(protocol) && cp.containerPort() == port);
                if (named) {
                    return true;
                }
            } else if (p.port() == null || (port >= p.port() && port <= (p.endPort() == null ? p.port() : p.endPort()))) {
                return true;
            }
        }
        return false;
    }

    private Optional<MemberView> member(String set, String ip) {
        IpSetView s = sets.get(set);
        return s == null ? Optional.empty() : s.members().stream().filter(m -> m.ips().contains(ip)).findFirst();
    }

}
