package io.netplane.ipam.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netplane.ipam.crd.IPAddressPool;
import io.netplane.ipam.crd.IPAddressPoolSpec;
import io.netplane.ipam.kube.Controllers;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write the API server refuses is retried with backoff, with no other event to trigger it, and from the 3rd failed
 * attempt on it shows as a Warning Event on the object with upstream's reason. The refusal is a
 * ValidatingAdmissionPolicy (CEL in the API server, no webhook) on objects labelled {@value #LOCKED}; deleting its
 * binding lets the next retry through.
 */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WebhookTls.class, restrictToAnnotatedClass = true)
class RetryWithBackoffIT {
    static final String LOCKED = "ipam-it/locked";
    static final String PROBE = "ipam-it/probe";
    static final String NS = "retry-it";

    @Inject
    KubernetesClient client;
    @Inject
    Controllers controllers;
    private final AtomicInteger probes = new AtomicInteger();

    @AfterEach
    void cleanUp() {
        client.admissionRegistration().v1().validatingAdmissionPolicyBindings().withLabel(LOCKED).delete();
        client.admissionRegistration().v1().validatingAdmissionPolicies().withLabel(LOCKED).delete();
        client.nodes().withLabel(LOCKED).delete();
        client.services().inNamespace(NS).withLabel(LOCKED).delete();
        client.resources(IPAddressPool.class).withName("retry-pool").delete();
    }

    @Test
    void aNodePatchThatIsRefusedIsRetriedAndWarnedAbout() {
        await().atMost(Duration.ofSeconds(30)).until(controllers::ready);
        lock("ipam-it-lock-podcidrs", "nodes", "!has(object.spec.podCIDR) || (has(oldObject.spec.podCIDR)"
                + " && oldObject.spec.podCIDR == object.spec.podCIDR)", "pod CIDRs are locked by the test");
        // a probe Node that already has its pod CIDR (adopted, never patched by ipam-service) tells when the policy
        // is in force
        client.resource(new NodeBuilder().withNewMetadata().withName("retry-probe").addToLabels(LOCKED, "true")
                .endMetadata().withNewSpec().withPodCIDR("10.244.251.0/24").withPodCIDRs("10.244.251.0/24").endSpec()
                .build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> refused(() -> client.nodes().withName("retry-probe")
                .edit(n -> {
                    n.getMetadata().setAnnotations(Map.of(PROBE, String.valueOf(probes.incrementAndGet())));
                    return n;
                })));

        client.resource(new NodeBuilder().withNewMetadata().withName("retry-node").addToLabels(LOCKED, "true")
                .endMetadata().build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> !warnings("default", "retry-node",
                "CIDRAssignmentFailed").isEmpty());
        Event warning = warnings("default", "retry-node", "CIDRAssignmentFailed").get(0);
        assertThat(warning.getInvolvedObject().getKind()).isEqualTo("Node");
        assertThat(warning.getMessage()).contains("pod CIDRs are locked by the test");
        assertThat(warning.getSource().getComponent()).isEqualTo("ipam-service");
        assertThat(podCidr("retry-node")).isNull();

        // nothing touches the Node from here on: only a retry can give it its pod CIDR
        unlock("ipam-it-lock-podcidrs");
        await().atMost(Duration.ofSeconds(60)).until(() -> podCidr("retry-node") != null);
        assertThat(warnings("default", "retry-node", "CIDRNotAvailable")).isEmpty();
    }

    @Test
    void aLoadBalancerStatusWriteThatIsRefusedIsRetriedAndWarnedAbout() {
        await().atMost(Duration.ofSeconds(30)).until(controllers::ready);
        if (client.namespaces().withName(NS).get() == null) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        }
        IPAddressPool pool = new IPAddressPool();
        pool.getMetadata().setName("retry-pool");
        pool.setSpec(new IPAddressPoolSpec());
        pool.getSpec().addresses = List.of("198.51.100.0/30");
        pool.getSpec().serviceSelector = new LabelSelector(null, Map.of(LOCKED, "true"));
        client.resource(pool).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            IPAddressPool p = client.resources(IPAddressPool.class).withName("retry-pool").get();
            return p.getStatus() != null && p.getStatus().conditions != null && p.getStatus().conditions.stream()
                    .anyMatch(c -> "Valid".equals(c.getType()) && "True".equals(c.getStatus()));
        });
        lock("ipam-it-lock-ingress", "services/status", "!has(object.status.loadBalancer)"
                + " || !has(object.status.loadBalancer.ingress) || size(object.status.loadBalancer.ingress) == 0",
                "ingress is locked by the test");
        // a probe: a status write with an ingress (on a Service of another class, which ipam-service leaves alone)
        Service probe = client.resource(service("retry-probe", "example.com/elsewhere")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> refused(() -> client.services().inNamespace(NS)
                .withName(probe.getMetadata().getName()).editStatus(s -> {
                    s.getStatus().setLoadBalancer(new LoadBalancerStatus(List.of(new LoadBalancerIngressBuilder()
                            .withIp("203.0.113." + (1 + probes.incrementAndGet() % 200)).build())));
                    return s;
                })));

        client.resource(service("retry-lb", null)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> !warnings(NS, "retry-lb", "SyncLoadBalancerFailed")
                .isEmpty());
        assertThat(warnings(NS, "retry-lb", "SyncLoadBalancerFailed").get(0).getMessage())
                .contains("ingress is locked by the test");
        assertThat(ingress("retry-lb")).isEmpty();

        unlock("ipam-it-lock-ingress");
        await().atMost(Duration.ofSeconds(60)).until(() -> ingress("retry-lb").equals(List.of("198.51.100.1")));
    }

    private Service service(String name, String loadBalancerClass) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels(LOCKED, "true")
                .addToAnnotations("netplane.io/load-balancer-ips", "198.51.100.1").endMetadata()
                .withNewSpec().withType("LoadBalancer").withLoadBalancerClass(loadBalancerClass)
                .addToSelector("app", name).addNewPort().withPort(80).endPort().endSpec().build();
    }

    /** Refuses UPDATEs of {@code resource} on objects labelled {@value #LOCKED} unless {@code expression} holds. */
    private void lock(String name, String resource, String expression, String message) {
        client.resource(Serialization.unmarshal("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %s, labels: {"%s": "true"}}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    objectSelector: {matchLabels: {"%s": "true"}}
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [UPDATE], resources: ["%s"]}
                  validations:
                  - {expression: "%s", message: "%s"}
                  - expression: "!has(object.metadata.annotations) || !('%s' in object.metadata.annotations)"
                    message: probe refused
                """.formatted(name, LOCKED, LOCKED, resource, expression, message,
                PROBE), ValidatingAdmissionPolicy.class)).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %s, labels: {"%s": "true"}}
                spec: {policyName: %s, validationActions: [Deny]}
                """.formatted(name, LOCKED, name), ValidatingAdmissionPolicyBinding.class)).create();
    }

    private void unlock(String name) {
        client.admissionRegistration().v1().validatingAdmissionPolicyBindings().withName(name).delete();
    }

    private static boolean refused(Supplier<?> write) {
        try {
            write.get();
            return false;
        } catch (KubernetesClientException e) {
            return e.getMessage().contains("refused") || e.getMessage().contains("locked by the test");
        }
    }

    private List<Event> warnings(String namespace, String name, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())
                        && "Warning".equals(e.getType()))
                .toList();
    }

    private String podCidr(String node) {
        Node n = client.nodes().withName(node).get();
        return n == null || n.getSpec() == null ? null : n.getSpec().getPodCIDR();
    }

    private List<String> ingress(String name) {
        Service s = client.services().inNamespace(NS).withName(name).get();
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return s.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList();
    }
}
