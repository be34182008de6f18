package io.netplane.endpoints.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The failures dropped instead of retried: only a create refused because the namespace is terminating. */
class WriteFailuresTest {
    @ParameterizedTest(name = "{0}: dropped {3}")
    @CsvSource(nullValues = "<none>", value = {
            "NamespaceLifecycle admission in a terminating namespace,403,NamespaceTerminating,true",
            "forbidden for another reason (RBAC),403,<none>,false",
            "another cause,422,FieldValueInvalid,false",
            "conflict,409,<none>,false"})
    void dropsOnlyNamespaceTerminating(String why, int code, String cause, boolean dropped) {
        StatusBuilder status = new StatusBuilder().withCode(code).withNewDetails().endDetails();
        if (cause != null) {
            status.editDetails().addNewCause().withReason(cause).withMessage("m").endCause().endDetails();
        }
        Status built = status.build();
        assertThat(WriteFailures.isNamespaceTerminating(new KubernetesClientException(built))).isEqualTo(dropped);
        assertThat(WriteFailures.isNamespaceTerminating(new IllegalStateException("wrapped",
                new KubernetesClientException(built)))).isEqualTo(dropped);
    }

    @Test
    void aFailureWithoutStatusIsRetried() {
        assertThat(WriteFailures.isNamespaceTerminating(new KubernetesClientException("io"))).isFalse();
        assertThat(WriteFailures.isNamespaceTerminating(new RuntimeException())).isFalse();
    }
}
