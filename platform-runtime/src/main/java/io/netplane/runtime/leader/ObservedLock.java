package io.netplane.runtime.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Lock} that reports every record it reads or writes successfully. fabric8's elector tells its callbacks
 * only when the holder changes, not when the holder renews, so without this a replica cannot tell a live leader from
 * one that stopped renewing (or from an API server it can no longer reach).
 */
final class ObservedLock implements Lock {
    private final Lock delegate;
    private final Consumer<LeaderElectionRecord> observed;

    ObservedLock(Lock delegate, Consumer<LeaderElectionRecord> observed) {
        this.delegate = delegate;
        this.observed = observed;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
        LeaderElectionRecord record = delegate.get(client);
        if (record != null) {
            observed.accept(record);
        }
        return record;
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
        delegate.create(client, record);
        observed.accept(record);
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
        delegate.update(client, record);
        observed.accept(record);
    }

    @Override
    public String identity() {
        return delegate.identity();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    /** The same holder, renewal and transition count: nothing happened since the last look. */
    static boolean sameRenewal(LeaderElectionRecord a, LeaderElectionRecord b) {
        return a != null && b != null && Objects.equals(a.getHolderIdentity(), b.getHolderIdentity())
                && Objects.equals(a.getRenewTime(), b.getRenewTime())
                && a.getLeaderTransitions() == b.getLeaderTransitions();
    }
}
