package io.netplane.api.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Pod as DNS (Pod records, hostname/subdomain) and the policy engine (labels, IPs, named ports) need it.
 *
 * @param terminating the Pod has a deletionTimestamp
 */
public record PodView(
        String namespace,
        String name,
        String uid,
        String resourceVersion,
        Instant observedAt,
        String nodeName,
        String phase,
        List<String> podIPs,
        boolean hostNetwork,
        String hostname,
        String subdomain,
        boolean ready,
        boolean terminating,
        Map<String, String> labels,
        List<ContainerPortView> containerPorts) implements ContractEvent {

    public PodView {
        podIPs = Lists.of(podIPs);
        labels = Lists.of(labels);
        containerPorts = Lists.of(containerPorts);
    }

    @Override
    public String key() {
        return ContractEvent.key(namespace, name);
    }

    /** A declared container port; named ones are what named targetPorts and policy ports resolve against. */
    public record ContainerPortView(String name, int containerPort, String protocol) {
    }
}
