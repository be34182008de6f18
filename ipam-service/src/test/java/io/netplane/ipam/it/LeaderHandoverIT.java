package io.netplane.ipam.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.ipam.kube.Controllers;
import io.netplane.runtime.leader.LeaderGate;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.netplane.testing.kube.Leases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica that loses its Lease stops its controllers (a Node created meanwhile gets no pod CIDR), is a candidate
 * again, and once the other holder's lease runs out leads again and catches up from a fresh list.
 */
@QuarkusTest
@TestProfile(LeaderHandoverIT.ShortLease.class)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WebhookTls.class, restrictToAnnotatedClass = true)
class LeaderHandoverIT {
    private static final String NODE = "handover-node";

    @Inject
    KubernetesClient client;
    @Inject
    Controllers controllers;

    public static class ShortLease extends KubernetesProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> out = new HashMap<>(super.getConfigOverrides());
            out.put("netplane.ipam.leader-election.lease-name", "ipam-handover-it");
            out.put("netplane.ipam.leader-election.lease-duration", "3s");
            out.put("netplane.ipam.leader-election.renew-deadline", "2s");
            out.put("netplane.ipam.leader-election.retry-period", "500ms");
            return out;
        }
    }

    private String podCidr() {
        var node = client.nodes().withName(NODE).get();
        return node == null || node.getSpec() == null ? null : node.getSpec().getPodCIDR();
    }

    @Test
    void aReplicaThatLosesTheLeaseStopsWritingAndTakesOverAgain() {
        LeaderGate gate = controllers.gate().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.isLeader() && controllers.ready());
        LeaderGate.Settings lease = gate.settings();

        // another replica takes the Lease, renews it for 8 s and then stops
        Leases.holdFor(client, lease.namespace(), lease.leaseName(), "other-replica", Duration.ofSeconds(8));
        await().atMost(Duration.ofSeconds(5)).until(() -> !gate.isLeader() && controllers.services().isEmpty());
        assertThat(gate.leader()).contains("other-replica");
        assertThat(controllers.ready()).as("a standby that sees a leader is ready").isTrue();

        client.resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> podCidr() == null);

        // the other holder stops renewing: this replica leads again and its fresh watch assigns the CIDR
        await().atMost(Duration.ofSeconds(20)).until(gate::isLeader);
        await().atMost(Duration.ofSeconds(20)).until(() -> podCidr() != null);
        assertThat(client.leases().inNamespace(lease.namespace()).withName(lease.leaseName()).get().getSpec()
                .getHolderIdentity()).isEqualTo(gate.identity());
        client.nodes().withName(NODE).delete();
    }
}
