package io.netplane.install.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.netplane.api.report.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Ready, Progressing, Degraded and the component conditions, from the component states and the problems. */
class StatusPlannerTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123Z");
    static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");

    @Test
    void everyComponentAvailableIsReady() {
        Map<String, Condition> c = plan(input(all(true, false)));
        assertThat(c.get("Ready")).satisfies(is("True", "AllComponentsAvailable"));
        assertThat(c.get("Progressing")).satisfies(is("False", "AllComponentsAvailable"));
        assertThat(c.get("Degraded")).satisfies(is("False", "AsExpected"));
        assertThat(c.get("DnsServiceAvailable")).satisfies(is("True", "DeploymentAvailable"));
        assertThat(c.get("NodeProxyAvailable")).satisfies(is("True", "DaemonSetAvailable"));
        assertThat(c.keySet()).containsExactly("Ready", "Progressing", "Degraded", "EndpointsOperatorAvailable",
                "IpamServiceAvailable", "DnsServiceAvailable", "IngressControllerAvailable", "IngressGatewayAvailable",
                "PolicyOperatorAvailable", "NodeProxyAvailable", "KafkaTopics");
        assertThat(c.values()).allSatisfy(x -> {
            assertThat(x.getObservedGeneration()).isEqualTo(4L);
            assertThat(x.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        });
    }

    @Test
    void aMissingDeploymentIsNotReadyAndProgressing() {
        List<WorkloadState> w = all(true, false);
        w.set(Component.IPAM_SERVICE.ordinal(), WorkloadState.missing(Component.IPAM_SERVICE));
        Map<String, Condition> c = plan(input(w));
        assertThat(c.get("Ready")).satisfies(is("False", "ComponentsNotAvailable"));
        assertThat(c.get("Ready").getMessage()).isEqualTo("not available: ipam-service; see their conditions");
        assertThat(c.get("Progressing")).satisfies(is("True", "ComponentsProgressing"));
        assertThat(c.get("Degraded")).satisfies(is("False", "AsExpected"));
        assertThat(c.get("IpamServiceAvailable")).satisfies(is("False", "DeploymentNotFound"));
        assertThat(c.get("IpamServiceAvailable").getMessage())
                .startsWith("Deployment netplane-system/ipam-service not found: install it");
    }

    @Test
    void anUnavailableDeploymentSaysWhatItsControllerSaid() {
        List<WorkloadState> w = all(true, false);
        w.set(Component.DNS_SERVICE.ordinal(), new WorkloadState(Component.DNS_SERVICE, true, false, false,
                "MinimumReplicasUnavailable: Deployment does not have minimum availability."));
        Condition dns = plan(input(w)).get("DnsServiceAvailable");
        assertThat(dns).satisfies(is("False", "DeploymentUnavailable"));
        assertThat(dns.getMessage()).isEqualTo("Deployment netplane-system/dns-service is not available "
                + "(MinimumReplicasUnavailable: Deployment does not have minimum availability.): "
                + "see kubectl -n netplane-system describe deployment dns-service");
    }

    @Test
    void aRollingOutComponentIsProgressingButStillReady() {
        Map<String, Condition> c = plan(input(all(true, true)));
        assertThat(c.get("Ready")).satisfies(is("True", "AllComponentsAvailable"));
        assertThat(c.get("Progressing")).satisfies(is("True", "ComponentsProgressing"));
    }

    @Test
    void anInvalidSpecIsDegradedAndNotReady() {
        var in = new StatusInput(4, "netplane-system",
                List.of(Problem.warning("InvalidSpec", "spec.serviceCIDRs[0]: \"x\" is not a valid CIDR"),
                        Problem.warning("InvalidSpec", "spec.nodeProxy.mode: \"y\" is not a node-proxy mode")),
                List.of(), all(true, false), false, List.of(), T0);
        Map<String, Condition> c = plan(in);
        assertThat(c.get("Ready")).satisfies(is("False", "InvalidSpec"));
        assertThat(c.get("Degraded")).satisfies(is("True", "InvalidSpec"));
        assertThat(c.get("Degraded").getMessage()).isEqualTo("nothing was created or changed: "
                + "spec.serviceCIDRs[0]: \"x\" is not a valid CIDR; spec.nodeProxy.mode: \"y\" is not a node-proxy mode");
    }

    @Test
    void aMissingWebhookCertificateIsDegradedButReady() {
        var in = new StatusInput(4, "netplane-system", List.of(),
                List.of(Problem.warning("WebhookCertificateMissing", "Secret netplane-system/ipam-service-tls ...")),
                all(true, false), false, List.of(), T0);
        Map<String, Condition> c = plan(in);
        assertThat(c.get("Ready")).satisfies(is("True", "AllComponentsAvailable"));
        assertThat(c.get("Degraded")).satisfies(is("True", "WebhookCertificateMissing"));
    }

    @Test
    void noStrimziIsAFalseKafkaTopicsThatDoesNotStopReady() {
        Map<String, Condition> c = plan(input(all(true, false)));
        assertThat(c.get("KafkaTopics")).satisfies(is("False", "StrimziNotInstalled"));
        assertThat(c.get("Ready").getStatus()).isEqualTo("True");
        var with = new StatusInput(4, "np", List.of(), List.of(), all(true, false), true, List.of(), T0);
        assertThat(plan(with).get("KafkaTopics")).satisfies(is("True", "TopicsManaged"));
    }

    @Test
    void aConditionKeepsItsTransitionTimeUntilItsStatusChanges() {
        List<Condition> first = StatusPlanner.conditions(input(all(true, false)));
        List<WorkloadState> w = all(true, false);
        w.set(Component.NODE_PROXY.ordinal(), new WorkloadState(Component.NODE_PROXY, true, false, true, "0 of 3"));
        Map<String, Condition> later = byType(StatusPlanner.conditions(
                new StatusInput(5, "netplane-system", List.of(), List.of(), w, false, first, T1)));
        assertThat(later.get("Degraded").getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(later.get("Degraded").getObservedGeneration()).isEqualTo(5L);
        assertThat(later.get("Ready").getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(later.get("NodeProxyAvailable").getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(later.get("DnsServiceAvailable").getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    }

    private static StatusInput input(List<WorkloadState> workloads) {
        return new StatusInput(4, "netplane-system", List.of(), List.of(), workloads, false, List.of(), T0);
    }

    private static List<WorkloadState> all(boolean available, boolean rollingOut) {
        return new ArrayList<>(Arrays.stream(Component.values())
                .map(c -> new WorkloadState(c, true, available, rollingOut, "1/1")).toList());
    }

    private static Map<String, Condition> plan(StatusInput in) {
        return byType(StatusPlanner.conditions(in));
    }

    private static Map<String, Condition> byType(List<Condition> conditions) {
        return conditions.stream().collect(Collectors.toMap(Condition::getType, c -> c, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    private static java.util.function.Consumer<Condition> is(String status, String reason) {
        return c -> {
            assertThat(c.getStatus()).as(c.getType()).isEqualTo(status);
            assertThat(c.getReason()).as(c.getType()).isEqualTo(reason);
        };
    }
}
