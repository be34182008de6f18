package io.netplane.runtime.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.testing.kube.KubeApiServerExtension;
import io.netplane.testing.kube.Leases;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two gates on one Lease of a real kube-apiserver. */
@ExtendWith(KubeApiServerExtension.class)
class LeaderGateIT {
    private static final Duration LEASE = Duration.ofSeconds(3);

    private static LeaderGate gate(KubernetesClient client, String lease, AtomicInteger starts, AtomicInteger stops) {
        var settings = new LeaderGate.Settings("default", lease, "test", LEASE, Duration.ofSeconds(2),
                Duration.ofMillis(500));
        return new LeaderGate(client, settings, starts::incrementAndGet, stops::incrementAndGet, null,
                Clock.systemUTC());
    }

    @Test
    void exactlyOneLeadsAndTheStandbyTakesOverWhenTheLeaderCloses(KubernetesClient client) {
        var a = gate(client, "one-leads", new AtomicInteger(), new AtomicInteger());
        var b = gate(client, "one-leads", new AtomicInteger(), new AtomicInteger());
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.isLeader() || b.isLeader());
        assertThat(a.isLeader() && b.isLeader()).as("both lead").isFalse();
        var leader = a.isLeader() ? a : b;
        var standby = leader == a ? b : a;
        await().atMost(Duration.ofSeconds(5)).until(() -> standby.leader().isPresent());
        assertThat(standby.leader()).contains(leader.identity());
        assertThat(standby.leaderKnown()).isTrue();
        leader.close();
        await().atMost(LEASE.plusSeconds(2)).until(standby::isLeader);
        standby.close();
    }

    @Test
    void aGateWhoseRenewalsFailStopsAndLeadsAgainWhenTheOtherHolderGoesAway(KubernetesClient client) {
        var starts = new AtomicInteger();
        var stops = new AtomicInteger();
        var a = gate(client, "comes-back", starts, stops);
        a.start();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
        // another holder takes the Lease and then freezes: a's renewals fail, it must stop, and lead again
        // once the frozen holder's lease has run out
        Leases.renew(client, "default", "comes-back", "frozen-replica");
        await().atMost(Duration.ofSeconds(10)).until(() -> stops.get() == 1);
        assertThat(a.isLeader()).isFalse();
        await().atMost(Duration.ofSeconds(15)).until(a::isLeader);
        assertThat(starts.get()).isEqualTo(2);
        a.close();
    }

    @Test
    void aStandbyThatSeesNoRenewalForALeaseDurationReportsNoLeaderKnown(KubernetesClient client) {
        // a holder whose clock runs an hour ahead renewed once and went away: its renew time keeps candidates from
        // taking over, and the standby must not go on reporting a leader it has not seen renew for a lease duration
        ZonedDateTime ahead = ZonedDateTime.now().plusHours(1);
        client.leases().inNamespace("default").resource(new LeaseBuilder().withNewMetadata().withName("frozen")
                .endMetadata().withNewSpec().withHolderIdentity("frozen-replica").withLeaseDurationSeconds(3)
                .withAcquireTime(ahead).withRenewTime(ahead).withLeaseTransitions(0).endSpec().build()).create();
        var standby = gate(client, "frozen", new AtomicInteger(), new AtomicInteger());
        standby.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> standby.leader().isPresent());
        assertThat(standby.leader()).contains("frozen-replica");
        assertThat(standby.leaderKnown()).as("just seen").isTrue();
        await().atMost(LEASE.plusSeconds(3)).until(() -> !standby.leaderKnown());
        assertThat(standby.isLeader()).isFalse();
        // the holder renews: known again
        Leases.renew(client, "default", "frozen", "frozen-replica");
        await().atMost(Duration.ofSeconds(3)).until(standby::leaderKnown);
        standby.close();
    }

    @Test
    void aSlowStartDoesNotCostTheLease(KubernetesClient client) throws InterruptedException {
        var stops = new AtomicInteger();
        var settings = new LeaderGate.Settings("default", "slow-start", "test", LEASE, Duration.ofSeconds(2),
                Duration.ofMillis(500));
        var a = new LeaderGate(client, settings, () -> {
            try {
                Thread.sleep(LEASE.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, stops::incrementAndGet, null, Clock.systemUTC());
        a.start();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
        Thread.sleep(LEASE.toMillis() * 2);
        assertThat(a.isLeader()).isTrue();
        assertThat(stops.get()).isZero();
        a.close();
        assertThat(stops.get()).isEqualTo(1);
    }
}
