package io.netplane.ingress.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.Topics;
import io.netplane.ingress.gateway.GatewayService;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ingress objects in a real kube-apiserver, through the controller, the real Kafka broker and the gateway to
 * a loopback backend: what a user sees (responses, Ingress status, Events).
 */
@QuarkusTest
@TestProfile(ControllerProfile.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = KubeApiServerTestResource.NAMESPACE_ARG, value = IngressControllerIT.NS))
class IngressControllerIT {
    static final String NS = "ingress-it";

    @Inject
    KubernetesClient client;

    @Inject
    GatewayService gateway;

    static HTTPIngressPath path(String path, String pathType, String service, String portName, Integer portNumber) {
        return new HTTPIngressPathBuilder().withPath(path).withPathType(pathType).withNewBackend().withNewService()
                .withName(service).withNewPort().withName(portName).withNumber(portNumber).endPort()
                .endService().endBackend().build();
    }

    Ingress ingress(String name, String className, Map<String, String> annotations, String host, HTTPIngressPath... paths) {
        return client.resource(new IngressBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withIngressClassName(className)
                .addNewRule().withHost(host).withNewHttp().withPaths(paths).endHttp().endRule()
                .endSpec().build()).create();
    }

    List<String> warningReasons(String ingress) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> ingress.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType()))
                .map(Event::getReason).toList();
    }

    /** The subject of the certificate the gateway's HTTPS listener presents for {@code sni}, or null. */
    String servedCertificate(String sni) {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                    .createSocket("127.0.0.1", gateway.httpsPort())) {
                socket.setSoTimeout(5000);
                javax.net.ssl.SSLParameters params = socket.getSSLParameters();
                params.setServerNames(List.of(new javax.net.ssl.SNIHostName(sni)));
                socket.setSSLParameters(params);
                socket.startHandshake();
                return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
            }
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void ingressesBecomeRoutesThatTheGatewayServes() throws Exception {
        client.resource(new IngressClassBuilder().withNewMetadata().withName("netplane").endMetadata()
                .withNewSpec().withController("netplane.io/ingress-controller").endSpec().build()).serverSideApply();
        client.resource(new IngressClassBuilder().withNewMetadata().withName("other").endMetadata()
                .withNewSpec().withController("example.com/other").endSpec().build()).serverSideApply();
        client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                .endSpec().build()).create();

        try (LoopbackBackend backend = new LoopbackBackend("web-pod");
                EventPublisher publisher = new EventPublisher(SharedKafka.bootstrapServers(), "/test", Clock.systemUTC())) {
            // the endpoints-operator's part, played by the test: web's ready endpoint is the loopback backend
            publisher.publish(Topics.ENDPOINT_SLICES, new EndpointSliceView(NS, "web-x1", "1", Instant.now(), "web", "IPv4",
                    "test", List.of(new EndpointPortView("http", "TCP", backend.port(), null)),
                    List.of(new EndpointView(List.of("127.0.0.1"), true, true, false, null, null, null, null, null, null))))
                    .get(30, TimeUnit.SECONDS);

            ingress("shop", "netplane", Map.of(), "shop.it.example",
                    path("/cart", "Prefix", "web", "http", null),
                    path("/ghost", "Exact", "ghost", null, 80));
            int port = gateway.httpPort();
            await().atMost(Duration.ofSeconds(60)).until(() -> HttpProbe.get(port, "shop.it.example", "/cart/1").status() == 200);
            assertThat(HttpProbe.get(port, "shop.it.example", "/cart/1?x=y").body()).isEqualTo("web-pod /cart/1?x=y");
            assertThat(HttpProbe.get(port, "shop.it.example", "/cartx").status()).isEqualTo(404);
            HttpProbe.Reply ghost = HttpProbe.get(port, "shop.it.example", "/ghost");
            assertThat(ghost.status()).isEqualTo(503);
            assertThat(ghost.body()).contains("ghost");

            // status and Events a user reads with kubectl
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Ingress i = client.network().v1().ingresses().inNamespace(NS).withName("shop").get();
                return i.getStatus() != null && i.getStatus().getLoadBalancer() != null
                        && Objects.equals(i.getStatus().getLoadBalancer().getIngress().stream()
                                .map(a -> a.getHostname() + "|" + a.getIp()).toList(),
                                List.of("null|192.0.2.10", "ingress.example.net|null"));
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> warningReasons("shop").contains("ServiceNotFound"));

            // TLS: the gateway reads the Secret the Ingress names from the API and serves it for that SNI name
            java.nio.file.Path certs = java.nio.file.Files.createTempDirectory("it-certs");
            io.netplane.ingress.gateway.TestCertificates.write(certs, NS, "shop-tls", "shop.it.example", "shop.it.example");
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("shop-tls")
                    .withNamespace(NS).endMetadata().withType("kubernetes.io/tls")
                    .addToData("tls.crt", b64.encodeToString(java.nio.file.Files.readAllBytes(certs.resolve(NS + "/shop-tls/tls.crt"))))
                    .addToData("tls.key", b64.encodeToString(java.nio.file.Files.readAllBytes(certs.resolve(NS + "/shop-tls/tls.key"))))
                    .build()).create();
            client.network().v1().ingresses().inNamespace(NS).withName("shop").edit(i -> new IngressBuilder(i).editSpec()
                    .addNewTl().withHosts("shop.it.example").withSecretName("shop-tls").endTl().endSpec().build());
            await().atMost(Duration.ofSeconds(60)).until(() -> "CN=shop.it.example".equals(servedCertificate("shop.it.example")));

            // the legacy annotation selects the class too
            ingress("legacy", null, Map.of("kubernetes.io/ingress.class", "netplane"), "legacy.it.example",
                    path("/", "Prefix", "web", "http", null));
            await().atMost(Duration.ofSeconds(60)).until(() -> HttpProbe.get(port, "legacy.it.example", "/").status() == 200);

            // another controller's Ingress is left alone: not served, no status written
            ingress("foreign", "other", Map.of(), "foreign.it.example", path("/", "Prefix", "web", "http", null));
            Thread.sleep(2000);
            assertThat(HttpProbe.get(port, "foreign.it.example", "/").status()).isEqualTo(404);
            Ingress foreign = client.network().v1().ingresses().inNamespace(NS).withName("foreign").get();
            assertThat(foreign.getStatus() == null || foreign.getStatus().getLoadBalancer() == null
                    || foreign.getStatus().getLoadBalancer().getIngress() == null
                    || foreign.getStatus().getLoadBalancer().getIngress().isEmpty()).isTrue();

            // a newer Ingress claiming the same host and path loses, and is told so
            Thread.sleep(1100); // creationTimestamp has one-second resolution
            ingress("late", "netplane", Map.of(), "shop.it.example", path("/cart", "Prefix", "ghost", null, 80));
            await().atMost(Duration.ofSeconds(30)).until(() -> warningReasons("late").contains("RouteConflict"));
            assertThat(HttpProbe.get(port, "shop.it.example", "/cart").body()).isEqualTo("web-pod /cart");

            // deleting the Ingress withdraws its routes
            client.network().v1().ingresses().inNamespace(NS).withName("legacy").delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> HttpProbe.get(port, "legacy.it.example", "/").status() == 404);

            // moving an Ingress to another class withdraws its routes too
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Ingress late = client.network().v1().ingresses().inNamespace(NS).withName("late").get();
                return late.getStatus() != null && late.getStatus().getLoadBalancer() != null
                        && late.getStatus().getLoadBalancer().getIngress() != null
                        && !late.getStatus().getLoadBalancer().getIngress().isEmpty();
            });
            client.network().v1().ingresses().inNamespace(NS).withName("late")
                    .edit(i -> new IngressBuilder(i).editSpec().withIngressClassName("other").endSpec().build());
            client.network().v1().ingresses().inNamespace(NS).withName("shop").delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> HttpProbe.get(port, "shop.it.example", "/cart").status() == 404);
            // ... and the address this controller had written is taken back
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Ingress late = client.network().v1().ingresses().inNamespace(NS).withName("late").get();
                return late.getStatus() == null || late.getStatus().getLoadBalancer() == null
                        || late.getStatus().getLoadBalancer().getIngress() == null
                        || late.getStatus().getLoadBalancer().getIngress().isEmpty();
            });
        }
    }
}
