package io.netplane.ipam.pools;

import java.util.List;

/** Whether a pool may be allocated from: its parsed blocks, or the reason (a status condition) it may not. */
public record PoolVerdict(PoolDefinition pool, List<AddressBlock> blocks, String reason, String message) {
    public boolean valid() {
        return reason == null;
    }
}
