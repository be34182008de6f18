package io.netplane.proxy.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Readable form of a fragment for tests: generated names shortened to {@code service:<port>} / {@code endpoint:<ip>/<port>}. */
final class FragmentText {
    private static final Pattern NAME =
            Pattern.compile("(service|local|external|firewall|endpoint|affinity)-[0-9A-F]{8}-[a-z0-9.\\-]+/[a-z0-9.\\-]+/[a-z]+/([a-z0-9\\-]*)(__([0-9a-f.]+/[0-9]+))?");

    private FragmentText() {
    }

    static String shorten(String s) {
        Matcher m = NAME.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, m.group(1) + ":" + (m.group(4) != null ? m.group(4) : m.group(2)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** One line per rule ({@code chain: rule}), element ({@code map [key : verdict]}) and set ({@code set name}). */
    static List<String> lines(ServiceFragment f) {
        List<String> out = new ArrayList<>();
        f.sets().forEach(s -> out.add(shorten("set " + s.name() + " " + s.spec())));
        f.chains().forEach(c -> {
            if (c.rules().isEmpty()) {
                out.add(shorten(c.name() + ": (empty)"));
            }
            c.rules().forEach(r -> out.add(shorten(c.name() + ": " + r)));
        });
        f.elements().forEach(e -> out.add(shorten(e.container() + " [" + e.text() + "]")));
        return out;
    }
}
