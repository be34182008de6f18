package io.netplane.install.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.netplane.install.model.InstallNames;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** JOSDK's leader election: only the holder of the Lease {@code install-operator} in the operator's namespace reconciles. */
public class LeaderElection {
    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(InstallConfig config) {
        return new LeaderElectionConfiguration(InstallNames.OPERATOR, config.namespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, null, config.exitWhenLeadershipLost());
    }
}
