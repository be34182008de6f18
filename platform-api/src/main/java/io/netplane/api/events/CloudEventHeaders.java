package io.netplane.api.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * CloudEvents 1.0 in Kafka binary mode: the attributes travel as {@code ce_*} headers and the record
 * value is the JSON data (or null, a tombstone, for a deleted object).
 */
public final class CloudEventHeaders {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }

    /**
     * The headers for one event.
     *
     * @param source the publishing component, e.g. {@code /netplane/endpoints-operator}
     * @param subject the record key
     * @param time when the change was observed
     */
    public static Map<String, String> of(Topic<?> topic, String source, String subject, Instant time) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(SPEC_VERSION, "1.0");
        h.put(ID, UUID.randomUUID().toString());
        h.put(SOURCE, source);
        h.put(TYPE, topic.eventType());
        h.put(SUBJECT, subject);
        h.put(TIME, time.toString());
        h.put(CONTENT_TYPE, JSON);
        return h;
    }
}
