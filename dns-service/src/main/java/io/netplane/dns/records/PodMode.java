package io.netplane.dns.records;

import java.util.Locale;

/** How {@code a-b-c-d.<ns>.pod.<zone>} names are answered (the modes of CoreDNS's kubernetes plugin). */
public enum PodMode {
    /** No Pod records: such names do not exist. */
    DISABLED,
    /** Any well-formed address name answers with the address it spells, whether or not such a Pod exists. */
    INSECURE,
    /** Only the address of a Pod that exists in that namespace answers. */
    VERIFIED;

    public static PodMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pod mode must be disabled, insecure or verified, not '" + text + "'");
        }
    }
}
