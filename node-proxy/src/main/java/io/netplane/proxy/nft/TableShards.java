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

    /** Every name a table of {@code base} may have, whatever the number of tables: base, base-0 .. base-31. */
    public static List<String> candidates(String base) {
        List<String> out = new ArrayList<>();
        out.add(base);
        for (int s = 0; s < MAX_TABLES; s++) {
            out.add(base + "-" + s);
        }
        return out;
    }
}
