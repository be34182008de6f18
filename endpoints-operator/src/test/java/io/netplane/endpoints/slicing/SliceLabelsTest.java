package io.netplane.endpoints.slicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which slices the controller adopts (plans from, updates, deletes): only those carrying its own managed-by value. */
class SliceLabelsTest {
    @ParameterizedTest(name = "{0}: managed-by \"{1}\" adopted by {2}: {3}")
    @CsvSource(nullValues = "<none>", value = {
            "upstream's controller value is ours by default,endpointslice-controller.k8s.io,"
                    + "endpointslice-controller.k8s.io,true",
            "the mirroring controller's slices are not,endpointslicemirroring-controller.k8s.io,"
                    + "endpointslice-controller.k8s.io,false",
            "a user's own slice is not,my-controller.example.com,endpointslice-controller.k8s.io,false",
            "a slice without managed-by is not,<none>,endpointslice-controller.k8s.io,false",
            "an empty managed-by is not,'',endpointslice-controller.k8s.io,false",
            "earlier Netplane builds' value is not (another writer now),endpoints-operator.netplane.io,"
                    + "endpointslice-controller.k8s.io,false",
            "a configured value adopts its own,endpoints-operator.netplane.io,endpoints-operator.netplane.io,true",
            "... and then not upstream's,endpointslice-controller.k8s.io,endpoints-operator.netplane.io,false"})
    void adoptsOnlySlicesWithItsOwnManagedByValue(String why, String label, String ours, boolean adopted) {
        Map<String, String> labels = new HashMap<>(Map.of(SliceLabels.SERVICE_NAME, "web"));
        if (label != null) {
            labels.put(SliceLabels.MANAGED_BY, label);
        }
        assertThat(SliceLabels.isManagedBy(labels, ours)).isEqualTo(adopted);
    }

    @org.junit.jupiter.api.Test
    void theDesiredLabelsCarryTheConfiguredValue() {
        assertThat(SliceLabels.desired(Fixtures.service(), "endpointslice-controller.k8s.io"))
                .containsEntry(SliceLabels.MANAGED_BY, "endpointslice-controller.k8s.io")
                .containsEntry(SliceLabels.SERVICE_NAME, "web");
    }
}
