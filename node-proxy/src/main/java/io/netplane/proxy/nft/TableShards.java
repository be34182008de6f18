package io.netplane.proxy.nft;

import java.util.ArrayList;
import java.util.List;

/**
 * How Services are spread over several tables of one family. The kernel checks a table's whole chain graph each
 * time a transaction adds a rule that jumps or NATs, and {@code nft} parses a full sync as one transaction, so
 * both costs follow the size of one table: with about {@value #SERVICES_PER_TABLE} Services per table, a change
 * is checked against its own table only and a full sync is one small transaction per table. Every table hooks
 * the same chains; a packet meets each table's rules in turn and only the table owning its Service matches.
 *
 * <p>One table keeps the configured name; {@code k > 1} tables are named {@code <name>-0 .. <name>-(k-1)}.
 */
public final class TableShards {
    public static final int SERVICES_PER_TABLE = 1000;
    public static final int MAX_TABLES = 32;

    private TableShards() {
    }

    /** Tables for this many Services: a power of two, one up to {@value #SERVICES_PER_TABLE} Services. */
    public static int forServices(int services) {
        int k = 1;
        while (k < MAX_TABLES && (long) k * SERVICES_PER_TABLE < services) {
            k <<= 1;
        }
        return k;
    }

    /** The table (0 .. k-1) of a Service: stable across restarts, since String.hashCode is specified. */
    public static int of(String serviceKey, int k) {
        return Math.floorMod(serviceKey.hashCode(), k);
    }

    public static String name(String base, int shard, int k) {
        return k == 1 ? base : base + "-" + shard;
    }

    /** Whether {@code name} is one of the tables some number of shards of {@code base} would use. */
    public static boolean ours(String base, String name) {
        if (name.equals(base)) {
            return true;
        }
        if (!name.startsWith(base + "-") || name.length() == base.length() + 1) {
            return false;
        }
        return name.substring(base.length() + 1).chars().allMatch(Character::isDigit);
    }

    /**
     * The tables of {@code family} (nft keyword) named after {@code base} in an {@code nft list tables}
     * listing.
     */
    public static List<String> listed(String listing, String family, String base) {
        List<String> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].equals("table") && w[1].equals(family) && ours(base, w[2])) {
                out.add(w[2]);
            }
        }
        return out;
    }
}
