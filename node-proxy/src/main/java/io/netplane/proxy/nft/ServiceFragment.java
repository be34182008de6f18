package io.netplane.proxy.nft;

import java.util.List;

/**
 * Everything one Service contributes to the table: its own sets and chains, and its elements in the shared
 * dispatch maps. Fragments of different Services never share a chain or set name, so a Service can be
 * replaced by deleting what its old fragment had and adding what its new one has; only elements of the
 * {@linkplain ChainNames#shared shared} hairpin set may repeat across Services ({@link AppliedTable} counts them).
 */
public record ServiceFragment(String serviceKey, List<NftSet> sets, List<NftChain> chains,
        List<NftElement> elements) {

    public ServiceFragment {
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
        elements = List.copyOf(elements);
    }

    /** Rules plus map elements: the figure the rules-count metric reports. */
    public int ruleCount() {
        return chains.stream().mapToInt(c -> c.rules().size()).sum() + elements.size();
    }

    public ServiceFragment withElements(List<NftElement> kept) {
        return new ServiceFragment(serviceKey, sets, chains, kept);
    }
}
