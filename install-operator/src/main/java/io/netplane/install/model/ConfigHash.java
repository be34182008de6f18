package io.netplane.install.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content hash of the cluster ConfigMap, and the restart decision it drives: the components read the ConfigMap
 * only when their containers start, so a hash that differs from the one recorded in {@code status.configHash}
 * (none on a fresh install, whose components started before the ConfigMap existed) means restarting them.
 */
public final class ConfigHash {
    private ConfigHash() {
    }

    /** 16 hex digits of the SHA-256 of the length-prefixed entries in key order; equal data, equal hash. */
    public static String of(Map<String, String> data) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(data).forEach((k, v) -> text.append(k.length()).append(':').append(k)
                .append(v.length()).append(':').append(v));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** True when the components must be restarted to read the ConfigMap of {@code current}. */
    public static boolean restartNeeded(String recorded, String current) {
        return !current.equals(recorded);
    }
}
