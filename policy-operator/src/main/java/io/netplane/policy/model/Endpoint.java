package io.netplane.policy.model;

import io.netplane.api.net.IpAddress;

/** One end of a connection: a Pod (with the address it uses) or a bare address outside the Pod network. */
public record Endpoint(PodInfo pod, IpAddress ip) {

    public static Endpoint of(PodInfo pod) {
        return new Endpoint(pod, pod.ips().isEmpty() ? null : IpAddress.parse(pod.ips().get(0)));
    }

    public static Endpoint external(IpAddress ip) {
        return new Endpoint(null, ip);
    }

    public String describe() {
        return pod != null ? pod.key() : String.valueOf(ip);
    }
}
