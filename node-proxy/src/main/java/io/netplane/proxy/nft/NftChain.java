package io.netplane.proxy.nft;

import java.util.List;

/** A regular chain and its rules, in order. */
public record NftChain(String name, List<String> rules) {
    public NftChain {
        rules = List.copyOf(rules);
    }
}
