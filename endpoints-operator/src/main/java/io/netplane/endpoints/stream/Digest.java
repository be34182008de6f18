package io.netplane.endpoints.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EventJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * 128 bits of SHA-256 over a view's JSON without {@code resourceVersion} and {@code observedAt}: two views with the
 * same digest say the same thing to a consumer, so the second one is not published (no churn on Node heartbeats,
 * Pod status noise or a restart).
 */
public record Digest(long hi, long lo) {
    /** Stands for "something is on the topic but we do not know what" (after a failed send). */
    public static final Digest UNKNOWN = new Digest(0, 0);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Digest of(ContractEvent value) {
        try {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(EventJson.write(value));
            tree.remove("resourceVersion");
            tree.remove("observedAt");
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(tree.toString().getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(sha);
            return new Digest(b.getLong(), b.getLong());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest " + value.key(), e);
        }
    }
}
