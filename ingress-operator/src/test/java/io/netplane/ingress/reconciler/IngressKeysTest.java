package io.netplane.ingress.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpecBuilder;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Ingresses a Service, TLS Secret or IngressClass change queues: the mappings that replace JOSDK's. */
class IngressKeysTest {

    static Ingress ingress(String namespace, String name, IngressSpecBuilder spec) {
        return new IngressBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withSpec(spec.build()).build();
    }

    static IngressSpecBuilder ruleOn(String service) {
        return new IngressSpecBuilder().addNewRule().withHost("shop.example").withNewHttp().addNewPath().withPath("/")
                .withPathType("Prefix").withNewBackend().withNewService().withName(service).withNewPort()
                .withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule();
    }

    static IngressSpecBuilder defaultBackendOn(String service) {
        return new IngressSpecBuilder().withNewDefaultBackend().withNewService().withName(service).withNewPort()
                .withNumber(80).endPort().endService().endDefaultBackend();
    }

    static final List<Ingress> INGRESSES = List.of(
            ingress("shop", "rule-on-web", ruleOn("web")),
            ingress("shop", "default-on-web", defaultBackendOn("web")),
            ingress("shop", "rule-on-api", ruleOn("api").addNewTl().withSecretName("shop-tls").endTl()),
            ingress("other", "rule-on-web", ruleOn("web").addNewTl().withSecretName("shop-tls").endTl()));

    static final IngressKeys KEYS = new IngressKeys(
            () -> INGRESSES.stream().map(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName()).toList(),
            ns -> INGRESSES.stream().filter(i -> i.getMetadata().getNamespace().equals(ns)).toList(),
            Optional.of("netplane-system/ingress-gateway"));

    static HasMetadata service(String namespace, String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }

    static HasMetadata tlsSecret(String namespace, String name) {
        return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withType("kubernetes.io/tls").build();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("a Service: the Ingresses of its namespace with a rule backend on it",
                        service("shop", "web"), List.of("shop/rule-on-web", "shop/default-on-web")),
                Arguments.of("a Service no Ingress uses: none", service("shop", "cart"), List.of()),
                Arguments.of("a Service in a namespace without Ingresses: none", service("empty", "web"), List.of()),
                Arguments.of("the gateway's publish Service: every Ingress (its addresses are their status)",
                        service("netplane-system", "ingress-gateway"), List.of("shop/rule-on-web",
                                "shop/default-on-web", "shop/rule-on-api", "other/rule-on-web")),
                Arguments.of("a TLS Secret: the Ingresses of its namespace whose TLS block names it",
                        tlsSecret("shop", "shop-tls"), List.of("shop/rule-on-api")),
                Arguments.of("a TLS Secret no Ingress names: none", tlsSecret("shop", "old-tls"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aChangeQueuesTheIngressesItConcerns(String why, HasMetadata changed, List<String> expected) {
        List<String> keys = changed instanceof io.fabric8.kubernetes.api.model.Service s ? KEYS.usingService(s)
                : KEYS.usingSecret((io.fabric8.kubernetes.api.model.Secret) changed);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
    }

    @org.junit.jupiter.api.Test
    void anIngressClassChangeQueuesEveryIngress() {
        assertThat(KEYS.all()).hasSize(INGRESSES.size());
    }
}
