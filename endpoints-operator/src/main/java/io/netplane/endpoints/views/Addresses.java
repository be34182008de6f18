package io.netplane.endpoints.views;

import io.netplane.api.net.IpAddress;
import java.util.ArrayList;
import java.util.List;

/** IP address lists as the contract carries them: canonical text, invalid literals left out. */
public final class Addresses {
    private Addresses() {
    }

    /** Canonical text of every valid literal in {@code raw}, in order, without duplicates. */
    public static List<String> canonical(List<String> raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String text : raw) {
            if (text != null && IpAddress.isValid(text)) {
                String c = IpAddress.canonical(text);
                if (!out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
