package io.netplane.install.model;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.netplane.api.report.Problem;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Netplane's status conditions: {@code Ready} (the spec is valid and every component available),
 * {@code Progressing} (a component is rolling out or not available yet), {@code Degraded} (an invalid spec or another
 * problem the user must fix), one {@code <Component>Available} per component, and {@code KafkaTopics}. A condition
 * whose status did not change keeps its {@code lastTransitionTime}.
 */
public final class StatusPlanner {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String KAFKA_TOPICS = "KafkaTopics";

    private StatusPlanner() {
    }

    public static List<Condition> conditions(StatusInput in) {
        List<Condition> out = new ArrayList<>();
        List<WorkloadState> waiting = in.workloads().stream().filter(w -> !w.available()).toList();
        boolean valid = in.specProblems().isEmpty();
        if (!valid) {
            out.add(condition(in, READY, false, SpecValidator.REASON,
                    "the spec is invalid: fix what Degraded says"));
        } else if (!waiting.isEmpty()) {
            out.add(condition(in, READY, false, "ComponentsNotAvailable",
                    "not available: " + names(waiting) + "; see their conditions"));
        } else {
            out.add(condition(in, READY, true, "AllComponentsAvailable", "every component is available"));
        }
        List<WorkloadState> moving = in.workloads().stream().filter(w -> w.rollingOut() || !w.available()).toList();
        out.add(moving.isEmpty()
                ? condition(in, PROGRESSING, false, "AllComponentsAvailable", "no component is rolling out")
                : condition(in, PROGRESSING, true, "ComponentsProgressing",
                        "rolling out or not available yet: " + names(moving)));
        if (!valid) {
            out.add(condition(in, DEGRADED, true, SpecValidator.REASON,
                    "nothing was created or changed: " + messages(in.specProblems())));
        } else if (!in.problems().isEmpty()) {
            out.add(condition(in, DEGRADED, true, in.problems().get(0).reason(), messages(in.problems())));
        } else {
            out.add(condition(in, DEGRADED, false, "AsExpected", "no problem found"));
        }
        in.workloads().forEach(w -> out.add(component(in, w)));
        out.add(in.strimziInstalled()
                ? condition(in, KAFKA_TOPICS, true, "TopicsManaged",
                        "the Netplane KafkaTopics are managed in namespace " + in.namespace())
                : condition(in, KAFKA_TOPICS, false, "StrimziNotInstalled", "the CRD "
                        + InstallNames.STRIMZI_TOPIC_CRD + " is not installed, so no KafkaTopic is written: create the "
                        + "Netplane topics in your Kafka yourself (k8s/kafka/README.md), or install Strimzi"));
        return out;
    }

    private static Condition component(StatusInput in, WorkloadState w) {
        String kind = w.component().kind().name();
        String ref = kind + " " + in.namespace() + "/" + w.component().workload();
        String type = w.component().conditionType();
        if (!w.found()) {
            String fix = w.component().kind() == Component.Kind.DaemonSet
                    ? "this operator creates it once the spec is valid"
                    : "install it: OLM does from the Netplane bundle; without OLM, kubectl apply -k k8s/";
            return condition(in, type, false, kind + "NotFound", ref + " not found: " + fix);
        }
        if (w.available()) {
            return condition(in, type, true, kind + "Available", ref + " is available (" + w.detail() + ")");
        }
        return condition(in, type, false, kind + "Unavailable", ref + " is not available (" + w.detail()
                + "): see kubectl -n " + in.namespace() + " describe " + kind.toLowerCase() + " "
                + w.component().workload());
    }

    private static Condition condition(StatusInput in, String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        String since = in.previous().stream()
                .filter(p -> type.equals(p.getType()) && value.equals(p.getStatus()))
                .map(Condition::getLastTransitionTime).findFirst()
                .orElse(in.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withObservedGeneration(in.generation()).withLastTransitionTime(since).build();
    }

    private static String names(List<WorkloadState> workloads) {
        return workloads.stream().map(w -> w.component().workload()).collect(Collectors.joining(", "));
    }

    private static String messages(List<Problem> problems) {
        return problems.stream().map(Problem::message).distinct().collect(Collectors.joining("; "));
    }
}
