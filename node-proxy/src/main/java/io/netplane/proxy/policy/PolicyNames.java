package io.netplane.proxy.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The naming helper of the policy table: table, set, map and per-Pod chain names (nft identifiers). */
public final class PolicyNames {
    public static final String TABLE = "netplane_policy";
    public static final String FORWARD = "forward";

    private PolicyNames() {
    }

    /** The nft set holding the {@code family} (4 or 6) addresses of address set {@code id}. */
    public static String set(String id, int family) {
        return "s_" + id.replaceAll("[^A-Za-z0-9]", "_") + "_" + family;
    }

    /** The verdict map sending traffic to/from local isolated Pods into their chains. */
    public static String map(Direction d, int family) {
        return (d == Direction.INGRESS ? "in" : "out") + family;
    }

    public static String chain(String podKey, Direction d) {
        return (d == Direction.INGRESS ? "pi_" : "pe_") + hash(podKey);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The two directions a Pod may be isolated in. */
    public enum Direction {
        INGRESS, EGRESS
    }
}
