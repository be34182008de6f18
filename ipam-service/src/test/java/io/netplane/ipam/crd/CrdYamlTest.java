package io.netplane.ipam.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRD YAML in {@code k8s/crds/} is what the fabric8 CRD generator makes of the classes. On a mismatch, the
 * generated file is in {@code target/generated-crds/}: copy it over after reviewing the change. The one liberty: the
 * printer columns' order is the committed file's (it is the order {@code kubectl get} shows them in), where the
 * generator sorts them by JSON path; the columns themselves must be the same.
 */
class CrdYamlTest {
    static final Path OUT = Path.of("target/generated-crds");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @CsvSource({"allocations.netplane.io", "ipaddresspools.netplane.io"})
    void committedCrdMatchesTheClasses(String crd) throws Exception {
        Files.createDirectories(OUT);
        new CRDGenerator().inOutputDir(OUT.toFile()).forCRDVersions("v1")
                .customResourceClasses(Allocation.class, IPAddressPool.class).detailedGenerate();
        JsonNode generated = sortedColumns(YAML.readTree(OUT.resolve(crd + "-v1.yml").toFile()));
        JsonNode committed = sortedColumns(YAML.readTree(Path.of("../k8s/crds/" + crd + ".yaml").toFile()));
        assertThat(committed).as("k8s/crds/%s.yaml vs target/generated-crds/%s-v1.yml", crd, crd).isEqualTo(generated);
    }

    /** The CRD with each version's additionalPrinterColumns in JSON-path order. */
    private static JsonNode sortedColumns(JsonNode crd) {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.get("additionalPrinterColumns") instanceof ArrayNode columns) {
                List<JsonNode> sorted = new ArrayList<>();
                columns.forEach(sorted::add);
                sorted.sort(Comparator.comparing(c -> c.path("jsonPath").asText()));
                columns.removeAll();
                columns.addAll(sorted);
            }
        }
        return crd;
    }
}
