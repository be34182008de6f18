package io.netplane.ipam.api;

import io.netplane.ipam.access.AccessDecision;

/** A write the {@link io.netplane.ipam.access.AccessDecider} refused (401, 403 or 503), before anything changed. */
public final class AccessRefused extends RuntimeException {
    private final transient AccessDecision decision;

    public AccessRefused(AccessDecision decision) {
        super(decision.message(), null, false, false);
        this.decision = decision;
    }

    public AccessDecision decision() {
        return decision;
    }
}
