package io.netplane.install.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator observed: the generation it acted on, the hash of the cluster ConfigMap the components were last
 * restarted with, and metav1.Conditions ({@code Ready}, {@code Progressing}, {@code Degraded}, one per component).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetplaneStatus(Long observedGeneration, String configHash, List<Condition> conditions) {
}
