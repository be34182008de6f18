package io.netplane.dns.server;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import java.net.InetAddress;
import java.util.List;

/** The client networks allowed to query: the server is not an open resolver. */
public record ClientAllowList(List<Cidr> allowed) {

    public ClientAllowList {
        allowed = List.copyOf(allowed);
    }

    /** Parses CIDRs; an entry that is not one is an error naming it, never silently dropped. */
    public static ClientAllowList parse(List<String> cidrs) {
        return new ClientAllowList(cidrs.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList());
    }

    public boolean allows(InetAddress client) {
        IpAddress ip = IpAddress.fromBytes(client.getAddress());
        for (Cidr c : allowed) {
            if (c.family() == ip.family() && c.contains(ip)) {
                return true;
            }
        }
        return false;
    }
}
