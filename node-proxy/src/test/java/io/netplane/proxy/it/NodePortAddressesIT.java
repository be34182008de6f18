package io.netplane.proxy.it;

import static io.netplane.proxy.fixtures.ServiceBuilder.service;
import static io.netplane.proxy.fixtures.SliceBuilder.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.api.events.NodeView;
import io.netplane.api.events.Topics;
import io.netplane.proxy.fixtures.NetnsAvailable;
import io.netplane.proxy.fixtures.NetnsLab;
import io.netplane.proxy.fixtures.NetnsLabResource;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code nodeport-addresses} CIDRs select the node's interface addresses, as kube-proxy's do: the lab node's address
 * toward ext2 (192.168.241.1) is on an interface but not on the Node object, which lists only 192.168.240.1.
 */
@ExtendWith(NetnsAvailable.class)
@QuarkusTest
@TestProfile(NodePortAddressesIT.OnlyTheSecondNetwork.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(NetnsLabResource.class)
class NodePortAddressesIT {
    /** NodePorts only on 192.168.241.0/24. */
    public static class OnlyTheSecondNetwork implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netplane.proxy.nodeport-addresses", "192.168.241.0/24");
        }
    }

    @Test
    void aCidrSelectsAnInterfaceAddressTheNodeObjectDoesNotList() throws Exception {
        NetnsLab lab = NetnsLabResource.lab;
        try (EventPublisher publisher = new EventPublisher(SharedKafka.bootstrapServers(), "/netplane/test",
                Clock.systemUTC())) {
            publisher.publish(Topics.NODES, new NodeView(lab.node, "uid", "1", Instant.now(),
                    List.of(new NodeView.NodeAddressView("InternalIP", NetnsLab.NODE_IP)), "zone-a", List.of(), true,
                    4000, Map.of())).get();
            publisher.publish(Topics.SERVICES, service("c1", "np", "10.96.240.40")
                    .nodePort("http", "TCP", 80, NetnsLab.BACKEND_PORT, 30090).build()).get();
            publisher.publish(Topics.ENDPOINT_SLICES, slice("c1", "np-tcp", "np").port("http", "TCP",
                    NetnsLab.BACKEND_PORT).ready(NetnsLab.backendIp(1), lab.node).build()).get();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                    lab.connect(lab.ext2, "tcp", "192.168.241.1", 30090, 2).stream().allMatch(a -> a.startsWith("b1 ")));
            // the Node object's own address is outside the CIDR: no NodePort there
            assertThat(lab.connect(lab.ext1, "tcp", NetnsLab.NODE_IP, 30090, 2)).containsOnly("REFUSED");
        }
    }
}
