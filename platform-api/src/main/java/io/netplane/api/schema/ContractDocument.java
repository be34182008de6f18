package io.netplane.api.schema;

import io.netplane.api.events.CloudEventHeaders;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates the AsyncAPI 2.6 document of the event contract from the records themselves, so the document
 * an outside consumer reads cannot drift from what producers write ({@code ContractDocumentTest} fails
 * when the committed copy differs).
 */
public final class ContractDocument {
    private final Map<String, Object> schemas = new TreeMap<>();

    private ContractDocument() {
    }

    /** The document as a JSON-ready tree of maps and lists. */
    public static Map<String, Object> generate() {
        return new ContractDocument().build();
    }

    private Map<String, Object> build() {
        Map<String, Object> channels = new LinkedHashMap<>();
        Map<String, Object> messages = new LinkedHashMap<>();
        for (Topic<?> t : Topics.ALL) {
            String message = t.valueType().getSimpleName();
            messages.put(message, message(t, ref(t.valueType())));
            String description = "Log-compacted. Key: <namespace>/<name> (<name> when cluster-scoped) of the object. "
                    + "Value: the object's whole current state, or null (a tombstone) when it is gone.";
            if (t.equals(Topics.IP_SETS)) {
                description += " " + IpSetView.SHARDING;
            }
            channels.put(t.name(), Map.of(
                    "description", description,
                    "subscribe", Map.of("message", Map.of("$ref", "#/components/messages/" + message))));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("asyncapi", "2.6.0");
        doc.put("info", Map.of(
                "title", "Netplane event contract",
                "version", "1",
                "description", "Every Netplane topic carries full-state JSON values keyed by object, with CloudEvents 1.0 "
                        + "attributes in Kafka headers (binary mode). Consumers read each topic from the beginning to the end "
                        + "offsets taken at start (the snapshot), then follow; unknown fields must be ignored."));
        doc.put("defaultContentType", CloudEventHeaders.JSON);
        doc.put("channels", channels);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("messages", messages);
        components.put("schemas", schemas);
        doc.put("components", components);
        return doc;
    }

    private Map<String, Object> message(Topic<?> t, Map<String, Object> payload) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("type", "object");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CloudEventHeaders.SPEC_VERSION, Map.of("type", "string", "const", "1.0"));
        props.put(CloudEventHeaders.ID, Map.of("type", "string"));
        props.put(CloudEventHeaders.SOURCE, Map.of("type", "string"));
        props.put(CloudEventHeaders.TYPE, Map.of("type", "string", "const", t.eventType()));
        props.put(CloudEventHeaders.SUBJECT, Map.of("type", "string", "description", "the record key"));
        props.put(CloudEventHeaders.TIME, Map.of("type", "string", "format", "date-time"));
        props.put(CloudEventHeaders.CONTENT_TYPE, Map.of("type", "string", "const", CloudEventHeaders.JSON));
        headers.put("properties", props);
        headers.put("required", List.copyOf(props.keySet()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.valueType().getSimpleName());
        m.put("contentType", CloudEventHeaders.JSON);
        m.put("headers", headers);
        m.put("payload", Map.of("oneOf", List.of(payload, Map.of("type", "null", "description", "tombstone: the object is gone"))));
        return m;
    }

    private Map<String, Object> ref(Class<?> record) {
        String name = schemaName(record);
        if (!schemas.containsKey(name)) {
            schemas.put(name, Map.of()); // placeholder against recursion
            Map<String, Object> props = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (RecordComponent c : record.getRecordComponents()) {
                props.put(c.getName(), schemaOf(c.getGenericType()));
                if (c.getType().isPrimitive()) { // other fields may be absent: nulls are not written
                    required.add(c.getName());
                }
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", "object");
            s.put("properties", props);
            s.put("required", required);
            schemas.put(name, s);
        }
        return Map.of("$ref", "#/components/schemas/" + name);
    }

    private Map<String, Object> schemaOf(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", schemaOf(p.getActualTypeArguments()[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", schemaOf(p.getActualTypeArguments()[1]));
            }
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return Map.of("type", "string");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return Map.of("type", "integer");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (c.isRecord()) {
            return ref(c);
        }
        throw new IllegalStateException("no schema mapping for " + c + "; extend ContractDocument");
    }

    private static String schemaName(Class<?> c) {
        return c.getName().substring(c.getPackageName().length() + 1).replace('$', '.');
    }
}
