package io.netplane.api.events;

import java.time.Instant;
import java.util.List;

/**
 * An address set: the Pod IPs selected by one distinct (namespace selector, pod selector) pair, shared by
 * every policy that uses that pair. Members may carry named ports resolved per Pod.
 *
 * @param name the set id (the key)
 * @param selector a readable canonical form of the selector pair
 * @param resourceVersion the resourceVersion of the change that last altered the set
 */
public record IpSetView(
        String name,
        String resourceVersion,
        Instant observedAt,
        String selector,
        List<MemberView> members) implements ContractEvent {

    public IpSetView {
        members = Lists.of(members);
    }

    @Override
    public String key() {
        return name;
    }

    /** A member Pod: its IPs, its node, and its named container ports. */
    public record MemberView(String pod, List<String> ips, String nodeName, List<PodView.ContainerPortView> namedPorts) {
        public MemberView {
            ips = Lists.of(ips);
            namedPorts = Lists.of(namedPorts);
        }
    }
}
