package io.netplane.runtime.leader;

import java.time.Duration;
import java.time.Instant;

/** Pure rule for readiness: a standby is fine; no leader known for longer than the lease duration is not. */
public final class LeaderHealth {
    private LeaderHealth() {
    }

    public static boolean healthy(boolean leaderKnown, Instant lastKnown, Instant now, Duration leaseDuration) {
        return leaderKnown || !now.isAfter(lastKnown.plus(leaseDuration));
    }
}
