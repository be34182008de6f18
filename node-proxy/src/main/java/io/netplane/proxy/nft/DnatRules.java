package io.netplane.proxy.nft;

import io.netplane.proxy.model.Endpoint;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The rules of a chain that DNATs to one of its endpoints by a rule per endpoint ({@link FragmentRenderer}),
 * written out each time they are read. Their text follows from the endpoints, which the programmed plan keeps
 * anyway; kept as strings, these rules (one per endpoint: 100,000 at 10,000 Services x 10) were the largest
 * part of node-proxy's heap. Immutable; equal to any list of the same strings.
 */
final class DnatRules extends AbstractList<String> implements RandomAccess {
    private final String protocol;
    private final String ipX;
    private final List<Endpoint> endpoints;

    DnatRules(String protocol, String ipX, List<Endpoint> endpoints) {
        this.protocol = protocol;
        this.ipX = ipX;
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * Rule {@code i} of {@code N}: {@code numgen random mod N-i 0} (a fresh number per rule) takes the connection
     * with probability {@code 1/(N-i)}, which makes the choice uniform; the last rule takes what is left.
     */
    @Override
    public String get(int i) {
        int n = endpoints.size();
        String pick = i == n - 1 ? "" : "numgen random mod " + (n - i) + " 0 ";
        return "meta l4proto " + protocol + " " + pick + "dnat " + ipX + " to " + endpoints.get(i).id();
    }

    @Override
    public int size() {
        return endpoints.size();
    }
}
