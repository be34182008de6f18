package io.netplane.runtime.leader;

import java.time.Duration;
import java.time.Instant;

/**
 * Pure rule for readiness: this replica leads, or it has seen the Lease renewed (by anyone) within one lease
 * duration. A standby that sees a live leader is fine; a holder that stopped renewing, an API server this replica
 * cannot reach, or no holder at all for longer than a lease duration is "no leader known".
 */
public final class LeaderHealth {
    private LeaderHealth() {
    }

    /**
     * @param lastRenewalSeen when this replica last saw the Lease record change while someone held it (or when it
     *     started campaigning, which gives a starting replica one lease duration of grace)
     */
    public static boolean healthy(boolean leading, Instant lastRenewalSeen, Instant now, Duration leaseDuration) {
        return leading || !now.isAfter(lastRenewalSeen.plus(leaseDuration));
    }
}
