package io.netplane.proxy.nft;

/** A named set owned by one Service (the per-endpoint ClientIP affinity sets); {@code spec} is its body. */
public record NftSet(String name, String spec) {
}
