package io.netplane.proxy.policy;

import io.netplane.proxy.policy.PolicyRuleset.MapDef;
import io.netplane.proxy.policy.PolicyRuleset.SetDef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;

/**
 * Turns rulesets into {@code nft -f} scripts (each applied as one atomic transaction): {@link #full} replaces the
 * whole table; {@link #update} touches only the sets, chains and maps that differ between two versions, in an
 * order nft accepts (new objects first, references rewritten, then removals), and of a changed set only the elements
 * that differ.
 */
public final class PolicyNftScript {
    private static final String T = "inet " + PolicyNames.TABLE;

    private PolicyNftScript() {
    }

    public static String full(PolicyRuleset r) {
        StringBuilder sb = new StringBuilder();
        sb.append("table ").append(T).append('\n');
        sb.append("delete table ").append(T).append('\n');
        sb.append("table ").append(T).append(" {\n");
        r.sets().forEach((name, s) -> sb.append("  set ").append(name).append(" { type ").append(s.type()).append(';')
                .append(elements(s.elements().stream().toList())).append(" }\n"));
        r.chains().forEach((name, lines) -> {
            sb.append("  chain ").append(name).append(" {\n");
            lines.forEach(l -> sb.append("    ").append(l).append('\n'));
            sb.append("  }\n");
        });
        r.maps().forEach((name, m) -> sb.append("  map ").append(name).append(" { type ").append(m.type()).append(" : verdict;")
                .append(elements(mapElements(m))).append(" }\n"));
        sb.append("  chain ").append(PolicyNames.FORWARD).append(" {\n")
                .append("    type filter hook forward priority filter; policy accept;\n")
                .append("    ct state established,related accept\n");
        for (String m : List.of("out4", "out6", "in4", "in6")) {
            String kw = m.endsWith("4") ? "ip" : "ip6";
            String addr = m.startsWith("out") ? "saddr" : "daddr";
            sb.append("    ").append(kw).append(' ').append(addr).append(" vmap @").append(m).append('\n');
        }
        sb.append("  }\n}\n");
        return sb.toString();
    }

    /** The changes from {@code old} to {@code now}; empty when nothing differs. */
    public static String update(PolicyRuleset old, PolicyRuleset now) {
        StringBuilder sb = new StringBuilder();
        now.sets().forEach((name, s) -> {
            SetDef before = old.sets().get(name);
            if (before == null) {
                sb.append("add set ").append(T).append(' ').append(name).append(" { type ").append(s.type()).append("; }\n");
                elementChange(sb, "add", name, s.elements());
            } else {
                // only the difference: a one-member change of a 150,000-member set is one element, not 150,000
                elementChange(sb, "delete", name, minus(before.elements(), s.elements()));
                elementChange(sb, "add", name, minus(s.elements(), before.elements()));
            }
        });
        now.chains().forEach((name, lines) -> {
            List<String> before = old.chains().get(name);
            if (before == null) {
                sb.append("add chain ").append(T).append(' ').append(name).append('\n');
            } else if (!before.equals(lines)) {
                sb.append("flush chain ").append(T).append(' ').append(name).append('\n');
            }
            if (!lines.equals(before)) {
                lines.forEach(l -> sb.append("add rule ").append(T).append(' ').append(name).append(' ').append(l).append('\n'));
            }
        });
        now.maps().forEach((name, m) -> {
            if (!Objects.equals(old.maps().get(name), m)) {
                sb.append("flush map ").append(T).append(' ').append(name).append('\n');
                List<String> els = mapElements(m);
                if (!els.isEmpty()) {
                    sb.append("add element ").append(T).append(' ').append(name).append(" { ")
                            .append(String.join(", ", els)).append(" }\n");
                }
            }
        });
        old.chains().keySet().stream().filter(c -> !now.chains().containsKey(c)).forEach(c -> sb
                .append("flush chain ").append(T).append(' ').append(c).append('\n')
                .append("delete chain ").append(T).append(' ').append(c).append('\n'));
        old.sets().keySet().stream().filter(s -> !now.sets().containsKey(s))
                .forEach(s -> sb.append("delete set ").append(T).append(' ').append(s).append('\n'));
        return sb.toString();
    }

    /** The elements of {@code a} not in {@code b}, in one walk over both (sorted alike). */
    private static List<String> minus(SortedSet<String> a, SortedSet<String> b) {
        List<String> out = new ArrayList<>();
        Iterator<String> others = b.iterator();
        String other = others.hasNext() ? others.next() : null;
        for (String e : a) {
            while (other != null && other.compareTo(e) < 0) {
                other = others.hasNext() ? others.next() : null;
            }
            if (!e.equals(other)) {
                out.add(e);
            }
        }
        return out;
    }

    private static void elementChange(StringBuilder sb, String verb, String set, Collection<String> elements) {
        if (!elements.isEmpty()) {
            sb.append(verb).append(" element ").append(T).append(' ').append(set).append(" { ")
                    .append(String.join(", ", elements)).append(" }\n");
        }
    }

    private static List<String> mapElements(MapDef m) {
        return m.jumps().entrySet().stream().map(e -> e.getKey() + " : " + e.getValue()).toList();
    }

    private static String elements(List<String> els) {
        return els.isEmpty() ? "" : " elements = { " + String.join(", ", els) + " };";
    }

}
