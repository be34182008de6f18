package io.netplane.ipam.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.ipam.crd.IPAddressPool;
import io.netplane.ipam.crd.IPAddressPoolSpec;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.store.AllocationStore;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** LoadBalancer pools and Node pod CIDRs against the real kube-apiserver. */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WebhookTls.class, restrictToAnnotatedClass = true)
class LoadBalancerAndNodesIT {
    static final String NS = "lb-it";

    @Inject
    KubernetesClient client;
    @Inject
    AllocationStore store;

    IPAddressPool pool(String name, List<String> addresses) {
        IPAddressPool p = new IPAddressPool();
        p.getMetadata().setName(name);
        p.setSpec(new IPAddressPoolSpec());
        p.getSpec().addresses = addresses;
        return client.resource(p).create();
    }

    Optional<Condition> condition(String pool, String type) {
        IPAddressPool p = client.resources(IPAddressPool.class).withName(pool).get();
        if (p == null || p.getStatus() == null || p.getStatus().conditions == null) {
            return Optional.empty();
        }
        return p.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    Service lb(String name, String cls, Map<String, String> annotations) {
        return client.resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withType("LoadBalancer").withLoadBalancerClass(cls).addToSelector("app", name)
                .addNewPort().withPort(80).endPort().endSpec().build()).create();
    }

    List<String> ingress(String name) {
        Service s = client.services().inNamespace(NS).withName(name).get();
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return s.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList();
    }

    @Test
    void loadBalancerServicesGetPoolAddressesAndAnExhaustedPoolIsVisible() {
        if (client.namespaces().withName(NS).get() == null) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        }
        pool("it-pool", List.of("192.0.2.0/30"));
        pool("bad-pool", List.of("10.96.5.0/24"));
        await().atMost(Duration.ofSeconds(30)).until(() -> condition("it-pool", "Valid")
                .map(c -> "True".equals(c.getStatus())).orElse(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> condition("bad-pool", "Valid").isPresent());
        assertThat(condition("bad-pool", "Valid").get().getStatus()).isEqualTo("False");
        assertThat(condition("bad-pool", "Valid").get().getReason()).isEqualTo("OverlapsReservedRange");
        assertThat(client.resources(IPAddressPool.class).withName("it-pool").get().getStatus().size).isEqualTo(4L);

        lb("requested", null, Map.of("netplane.io/load-balancer-ips", "192.0.2.3"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ingress("requested").equals(List.of("192.0.2.3")));
        // the pool's status follows every address taken, not only the pool running out
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(1).equals(used("it-pool")));

        lb("other-class", "example.com/elsewhere", Map.of());
        for (String n : List.of("a", "b", "c")) {
            lb(n, null, Map.of());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("a", "b", "c").stream()
                .allMatch(n -> ingress(n).size() == 1));
        assertThat(List.of("a", "b", "c", "requested").stream().map(n -> ingress(n).get(0)).distinct())
                .containsExactlyInAnyOrder("192.0.2.0", "192.0.2.1", "192.0.2.2", "192.0.2.3");
        assertThat(ingress("other-class")).as("another loadBalancerClass is not ours").isEmpty();
        assertThat(store.get(AllocationNames.address(IpAddress.parse("192.0.2.3")))).isPresent()
                .get().satisfies(r -> assertThat(r.owner().name()).isEqualTo("requested"));

        lb("d", null, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> condition("it-pool", "Exhausted")
                .map(c -> "True".equals(c.getStatus())).orElse(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.v1().events().inNamespace(NS).list().getItems()
                .stream().anyMatch(e -> "AllocationFailed".equals(e.getReason())
                        && "d".equals(e.getInvolvedObject().getName())));
        assertThat(ingress("d")).isEmpty();

        // deleting one frees its address, and the waiting Service gets it on its next reconcile
        String freed = ingress("a").get(0);
        client.services().inNamespace(NS).withName("a").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get(AllocationNames.address(IpAddress.parse(freed)))
                .map(r -> !r.owner().name().equals("a")).orElse(true));
        client.services().inNamespace(NS).withName("d").edit(s -> {
            s.getMetadata().getLabels();
            s.getMetadata().setAnnotations(Map.of("touch", "1"));
            return s;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> ingress("d").equals(List.of(freed)));

        // type change away from LoadBalancer releases the address
        String bIp = ingress("b").get(0);
        client.services().inNamespace(NS).withName("b").edit(s -> {
            s.getSpec().setType("ClusterIP");
            s.getSpec().getPorts().forEach(p -> p.setNodePort(null));
            s.getSpec().setAllocateLoadBalancerNodePorts(null);
            return s;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get(AllocationNames.address(IpAddress.parse(bIp)))
                .isEmpty());
        // and every address given back: a, b gone, c, d and requested hold theirs
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(3).equals(used("it-pool")));
        assertThat(condition("it-pool", "Exhausted").get().getStatus()).isEqualTo("False");
    }

    private Long used(String pool) {
        IPAddressPool p = client.resources(IPAddressPool.class).withName(pool).get();
        return p == null || p.getStatus() == null ? null : p.getStatus().used;
    }

    @Test
    void nodesGetPodCidrsAndReleaseThemWhenDeleted() {
        client.resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Node n = client.nodes().withName("worker-1").get();
            return n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty();
        });
        Node n = client.nodes().withName("worker-1").get();
        Cidr cidr = Cidr.parseStrict(n.getSpec().getPodCIDRs().get(0));
        assertThat(cidr.prefix()).isEqualTo(24);
        assertThat(Cidr.parse("10.244.0.0/16").contains(cidr)).isTrue();
        assertThat(n.getSpec().getPodCIDR()).isEqualTo(cidr.toString());
        String rec = AllocationNames.podCidr(cidr);
        assertThat(store.get(rec)).isPresent().get().satisfies(r -> assertThat(r.owner().name()).isEqualTo("worker-1"));

        client.resource(new NodeBuilder().withNewMetadata().withName("worker-2").endMetadata()
                .withNewSpec().withPodCIDR("10.244.200.0/24").withPodCIDRs("10.244.200.0/24").endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get("podcidr-10-244-200-0-24").isPresent());
        assertThat(store.get("podcidr-10-244-200-0-24").get().owner().name()).isEqualTo("worker-2");

        client.nodes().withName("worker-1").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get(rec).isEmpty());
        client.nodes().withName("worker-2").delete();
    }
}
