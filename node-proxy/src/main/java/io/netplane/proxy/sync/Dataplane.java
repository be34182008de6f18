package io.netplane.proxy.sync;

/** Where Service rules end up: the nftables table or the userspace proxy. */
public interface Dataplane {

    /** Programs exactly the given Services, replacing whatever was there (first sync, recovery, node change). */
    void replaceAll(SyncInput input) throws Exception;

    /** Reprograms the given Services only; all others stay as they are. */
    void update(SyncInput input) throws Exception;

    /** After a failed update: whether the programmed state is still what this data plane recorded. */
    default boolean intact() {
        return true;
    }

    /**
     * Whether nothing of this data plane is programmed yet (a node's first start, not a restart): a large first
     * sync may then be applied in batches, since no earlier rules are replaced by a half-built table.
     */
    default boolean coldStart() {
        return false;
    }

    /** Rules (or listeners) currently programmed. */
    int ruleCount();

    /** Removes everything this data plane programmed. */
    void remove() throws Exception;
}
