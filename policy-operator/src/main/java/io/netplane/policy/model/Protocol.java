package io.netplane.policy.model;

import java.util.Locale;

/** The three protocols a NetworkPolicy port may name; TCP when unset, as the API defaults it. */
public enum Protocol {
    TCP, UDP, SCTP;

    /** Parses the API spelling; {@code null} or empty means TCP. */
    public static Protocol parse(String text) {
        if (text == null || text.isEmpty()) {
            return TCP;
        }
        for (Protocol p : values()) {
            if (p.name().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported protocol \"" + text + "\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
    }

    public String nft() {
        return name().toLowerCase(Locale.ROOT);
    }
}
