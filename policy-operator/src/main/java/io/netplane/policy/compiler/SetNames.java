package io.netplane.policy.compiler;

import io.netplane.policy.model.AddressSelector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The naming helper for address sets: a short id derived from the selector's canonical form, so the same
 * selector gets the same set (and the same nftables set name) across restarts and policies.
 */
public final class SetNames {
    private SetNames() {
    }

    public static String of(AddressSelector selector) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(selector.canonical().getBytes(StandardCharsets.UTF_8));
            return "np-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
