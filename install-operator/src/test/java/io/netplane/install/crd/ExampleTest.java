package io.netplane.install.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.netplane.install.model.SpecValidator;
import io.netplane.install.model.Validation;
import io.netplane.testing.kube.SourceTree;
import java.nio.file.Files;

/** k8s/examples/netplane.yaml reads into the model and passes the validator: the documented example works. */
class ExampleTest {
    @org.junit.jupiter.api.Test
    void theExampleIsValid() throws Exception {
        String yaml = Files.readString(SourceTree.root().orElseThrow().resolve("k8s/examples/netplane.yaml"));
        Netplane example = Serialization.unmarshal(yaml, Netplane.class);
        assertThat(example.getMetadata().getName()).isEqualTo(Netplane.NAME);
        Validation v = SpecValidator.validate(example.getSpec());
        assertThat(v.problems()).isEmpty();
        assertThat(v.settings().orElseThrow().families()).extracting(Enum::name).containsExactly("IPv4", "IPv6");
    }
}
