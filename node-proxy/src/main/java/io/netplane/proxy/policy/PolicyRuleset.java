package io.netplane.proxy.policy;

import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The rendered policy table, structured so that two versions can be diffed: the address sets (name → family and
 * elements), the per-Pod chains (name → rule lines, ending in a drop), and the four verdict maps
 * (address → chain) that steer forwarded traffic into the chains.
 */
public record PolicyRuleset(SortedMap<String, SetDef> sets, SortedMap<String, List<String>> chains,
        SortedMap<String, MapDef> maps) {

    /** An nft set of addresses of one family. */
    public record SetDef(int family, SortedSet<String> elements) {
        public String type() {
            return family == 4 ? "ipv4_addr" : "ipv6_addr";
        }
    }

    /** A verdict map keyed by Pod address. */
    public record MapDef(int family, SortedMap<String, String> jumps) {
        public String type() {
            return family == 4 ? "ipv4_addr" : "ipv6_addr";
        }
    }
}
