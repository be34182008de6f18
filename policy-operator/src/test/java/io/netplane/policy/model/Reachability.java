package io.netplane.policy.model;

import java.util.List;
import java.util.function.Predicate;

/**
 * The expected truth table of an e2e case, written the way the upstream suite writes it: start from
 * "everything allowed", then deny or allow by client/server pattern ("x/*", "x/a", "*&#47;*"). Loopback is always
 * allowed (a Pod's traffic to itself never meets policy).
 */
public final class Reachability {
    private final List<String> pods;
    private final boolean[][] expected;

    public Reachability(List<String> pods) {
        this.pods = pods;
        this.expected = new boolean[pods.size()][pods.size()];
        set(p -> true, p -> true, true);
    }

    /** Connections from clients matching {@code from} to servers matching {@code to}. */
    public Reachability expect(String from, String to, boolean allowed) {
        return set(matcher(from), matcher(to), allowed);
    }

    public Reachability ingressTo(String to, boolean allowed) {
        return expect("*/*", to, allowed);
    }

    public Reachability egressFrom(String from, boolean allowed) {
        return expect(from, "*/*", allowed);
    }

    public boolean[][] table() {
        for (int i = 0; i < pods.size(); i++) {
            expected[i][i] = true;
        }
        return expected;
    }

    private Reachability set(Predicate<String> from, Predicate<String> to, boolean allowed) {
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                if (from.test(pods.get(i)) && to.test(pods.get(j))) {
                    expected[i][j] = allowed;
                }
            }
        }
        return this;
    }

    private static Predicate<String> matcher(String pattern) {
        String[] p = pattern.split("/");
        return key -> {
            String[] k = key.split("/");
            return (p[0].equals("*") || p[0].equals(k[0])) && (p[1].equals("*") || p[1].equals(k[1]));
        };
    }

    public static String render(List<String> pods, boolean[][] t) {
        StringBuilder sb = new StringBuilder("-");
        pods.forEach(p -> sb.append('\t').append(p));
        sb.append('\n');
        for (int i = 0; i < pods.size(); i++) {
            sb.append(pods.get(i));
            for (int j = 0; j < pods.size(); j++) {
                sb.append('\t').append(t[i][j] ? '.' : 'X');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
