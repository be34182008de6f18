package io.netplane.policy.model;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import java.util.List;

/** A validated peer of a rule: Pods chosen by selectors, or an address range. */
public sealed interface Peer {

    /** Pods selected by a (namespace, pod) selector pair. */
    record Selected(AddressSelector selector) implements Peer {
    }

    /** ipBlock: addresses in {@code cidr} but in none of {@code except}. */
    record Block(Cidr cidr, List<Cidr> except) implements Peer {
        public Block {
            except = List.copyOf(except);
        }

        public boolean contains(IpAddress ip) {
            return cidr.contains(ip) && except.stream().noneMatch(e -> e.contains(ip));
        }
    }
}
