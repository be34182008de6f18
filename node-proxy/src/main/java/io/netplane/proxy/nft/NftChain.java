package io.netplane.proxy.nft;

import java.util.List;

/** A regular chain and its rules, in order. */
public record NftChain(String name, List<String> rules) {
    public NftChain {
        // DnatRules are immutable already, and copying them would write out the text they exist not to keep
        rules = rules instanceof DnatRules ? rules : List.copyOf(rules);
    }
}
