package io.netplane.install.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.netplane.testing.kube.SourceTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The hand-written CRD in k8s/crds and the Java model Jackson reads it into name the same fields with matching
 * types, at every level, so the two cannot drift: a field added to one and not the other fails here.
 */
class CrdSchemaTest {
    static final Path CRD = SourceTree.root().orElseThrow().resolve("k8s/crds/netplanes.netplane.io.yaml");
    static final ObjectMapper JSON = new ObjectMapper();

    final JsonNode crd = read();
    final JsonNode version = crd.at("/spec/versions/0");
    final JsonNode schema = version.at("/schema/openAPIV3Schema/properties");

    @Test
    void theNamesAreTheClasses() {
        assertThat(crd.at("/metadata/name").asText()).isEqualTo(HasMetadata.getFullResourceName(Netplane.class));
        assertThat(crd.at("/spec/group").asText()).isEqualTo(HasMetadata.getGroup(Netplane.class));
        assertThat(version.at("/name").asText()).isEqualTo(HasMetadata.getVersion(Netplane.class));
        assertThat(crd.at("/spec/names/kind").asText()).isEqualTo(HasMetadata.getKind(Netplane.class));
        assertThat(crd.at("/spec/names/plural").asText()).isEqualTo(HasMetadata.getPlural(Netplane.class));
        assertThat(crd.at("/spec/names/singular").asText()).isEqualTo(HasMetadata.getSingular(Netplane.class));
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Cluster");
        assertThat(Namespaced.class.isAssignableFrom(Netplane.class)).isFalse();
        assertThat(version.at("/subresources/status").isObject()).isTrue();
    }

    @Test
    void specAndStatusHaveTheFieldsOfTheModel() {
        List<String> mismatches = new ArrayList<>();
        compare("spec", schema.get("spec"), JSON.constructType(NetplaneSpec.class), mismatches);
        compare("status", schema.get("status"), JSON.constructType(NetplaneStatus.class), mismatches);
        assertThat(mismatches).as(CRD + " vs the classes of io.netplane.install.crd").isEmpty();
    }

    @Test
    void thePrinterColumnsReadFieldsThatExist() {
        Map<String, String> columns = new TreeMap<>();
        version.get("additionalPrinterColumns").forEach(c -> columns.put(c.get("name").asText(), c.get("jsonPath").asText()));
        assertThat(columns).containsOnlyKeys("Ready", "Progressing", "Degraded", "Service CIDRs", "Age");
        assertThat(columns.get("Service CIDRs")).isEqualTo(".spec.serviceCIDRs");
        assertThat(schema.at("/spec/properties/serviceCIDRs").isObject()).isTrue();
    }

    private static void compare(String path, JsonNode schema, JavaType type, List<String> mismatches) {
        String expected = schemaType(type);
        if (!expected.equals(schema.path("type").asText())) {
            mismatches.add(path + ": the schema says " + schema.path("type").asText() + ", the model " + type);
            return;
        }
        if (expected.equals("array")) {
            compare(path + "[]", schema.get("items"), type.getContentType(), mismatches);
            return;
        }
        if (!expected.equals("object")) {
            return;
        }
        BeanDescription bean = JSON.getSerializationConfig().introspect(type);
        Map<String, JavaType> model = new TreeMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            model.put(p.getName(), p.getPrimaryType());
        }
        JsonNode properties = schema.path("properties");
        TreeSet<String> inSchema = new TreeSet<>();
        properties.fieldNames().forEachRemaining(inSchema::add);
        if (!inSchema.equals(model.keySet())) {
            mismatches.add(path + ": the schema has " + inSchema + ", the model " + model.keySet());
            return;
        }
        model.forEach((name, t) -> compare(path + "." + name, properties.get(name), t, mismatches));
    }

    private static String schemaType(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (Collection.class.isAssignableFrom(raw)) {
            return "array";
        }
        if (raw == String.class) {
            return "string";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "boolean";
        }
        if (raw == Long.class || raw == Integer.class || raw == long.class || raw == int.class) {
            return "integer";
        }
        return "object";
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(CRD.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
