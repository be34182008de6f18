package io.netplane.proxy.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.NodeContext;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import io.netplane.proxy.nft.TableShards;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How Services are spread over tables and what each nft run holds (nft replaced by a recorder of its scripts). */
class NftDataplaneTest {
    static final Pattern TABLE = Pattern.compile("(?m)^(add|delete) table ip (\\S+)");
    static final Pattern ANY_TABLE = Pattern.compile("(?m)^\\S+ (?:table|chain|rule|element|set|map) ip (\\S+)");

    /** Records each script and keeps the set of tables the scripts leave. */
    static final class RecordingNft extends NftApplier {
        final List<String> scripts = new ArrayList<>();
        final TreeSet<String> tables = new TreeSet<>();

        RecordingNft() {
            super("nft", Optional.empty());
        }

        @Override
        public void apply(String script) {
            scripts.add(script);
            Matcher m = TABLE.matcher(script);
            while (m.find()) {
                if (m.group(1).equals("add")) {
                    tables.add(m.group(2));
                } else {
                    tables.remove(m.group(2));
                }
            }
        }

        @Override
        public boolean hasTable(String family, String table) {
            return family.equals("ip") && tables.contains(table);
        }

        /** The scripts that program Services: not the clean-ups, which only add and delete bare tables. */
        List<String> syncs() {
            return scripts.stream().filter(s -> !s.lines().allMatch(l -> l.matches("(add|delete) table ip \\S+")))
                    .toList();
        }
    }

    final RecordingNft nft = new RecordingNft();
    final NodeContext node = NodeContext.of("node-a", null, true);

    NftDataplane plane(int shards) {
        return new NftDataplane(new NftDataplane.Settings("np", List.of(), List.of("10.96.0.0/12"), List.of(), false,
                14, shards), nft, null);
    }

    static List<PlannedPort> ports(int i, int shift) {
        ServicePort sp = new ServicePort("ns", "svc-" + i, "http", "tcp", IpFamily.IPv4,
                IpAddress.parse("10.96.0.0").plus(i + 1).toString(), 80, 0, List.of(), List.of(), List.of(), false,
                0, false, false, 0);
        return List.of(new PlannedPort(sp, List.of(
                Endpoint.ready(IpAddress.parse("10.128.0.0").plus(2L * i + shift).toString(), 8080, false))));
    }

    static SyncInput services(NodeContext node, int count) {
        Map<String, List<PlannedPort>> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            m.put("ns/svc-" + i, ports(i, 0));
        }
        return new SyncInput(Map.of(IpFamily.IPv4, m), node);
    }

    static TreeSet<String> tablesIn(String script) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = ANY_TABLE.matcher(script);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void aFullSyncOfManyServicesIsOneTransactionPerTable() throws Exception {
        NftDataplane plane = plane(0);
        plane.replaceAll(services(node, 3000));
        assertThat(nft.tables).containsExactly("np-0", "np-1", "np-2", "np-3");
        assertThat(plane.tablesPerFamily()).isEqualTo(4);
        assertThat(nft.syncs()).hasSize(4).allSatisfy(s -> assertThat(tablesIn(s)).hasSize(1));
        for (int s = 0; s < 4; s++) {
            int shard = s;
            String script = nft.syncs().get(s);
            // each table holds exactly its own Services' chains
            long own = java.util.stream.IntStream.range(0, 3000)
                    .filter(i -> TableShards.of("ns/svc-" + i, 4) == shard).count();
            assertThat(script.lines().filter(l -> l.startsWith("add chain ip np-" + shard + " service-")).count())
                    .isEqualTo(own);
        }
        assertThat(plane.ruleCount()).isGreaterThanOrEqualTo(3000);
    }

    @Test
    void aChangeTouchesOnlyItsServicesTable() throws Exception {
        NftDataplane plane = plane(0);
        plane.replaceAll(services(node, 3000));
        nft.scripts.clear();
        plane.update(new SyncInput(Map.of(IpFamily.IPv4, Map.of("ns/svc-7", ports(7, 1))), node, 3000));
        assertThat(nft.syncs()).isEqualTo(nft.scripts);
        assertThat(nft.scripts).hasSize(1);
        assertThat(tablesIn(nft.scripts.get(0))).containsExactly("np-" + TableShards.of("ns/svc-7", 4));

        // changes in several tables still go in one transaction
        nft.scripts.clear();
        Map<String, List<PlannedPort>> burst = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            burst.put("ns/svc-" + i, ports(i, 1));
        }
        plane.update(new SyncInput(Map.of(IpFamily.IPv4, burst), node, 3000));
        assertThat(nft.scripts).hasSize(1);
        assertThat(tablesIn(nft.scripts.get(0))).containsExactly("np-0", "np-1", "np-2", "np-3");
    }

    @Test
    void aFullSyncWithAnotherTableCountRemovesTheOtherTables() throws Exception {
        plane(0).replaceAll(services(node, 3000));
        NftDataplane restarted = plane(0);
        assertThat(restarted.coldStart()).as("tables of an earlier run exist").isFalse();
        restarted.replaceAll(services(node, 10));
        assertThat(nft.tables).containsExactly("np");
        restarted.replaceAll(services(node, 1500));
        assertThat(nft.tables).containsExactly("np-0", "np-1");
        assertThat(restarted.intact()).isTrue();
        nft.tables.remove("np-1");
        assertThat(restarted.intact()).as("a table flushed by someone else").isFalse();
        restarted.remove();
        assertThat(nft.tables).isEmpty();
        assertThat(plane(0).coldStart()).isTrue();
    }

    @Test
    void aConfiguredTableCountIsKeptWhateverTheNumberOfServices() throws Exception {
        plane(2).replaceAll(services(node, 10));
        assertThat(nft.tables).containsExactly("np-0", "np-1");
        plane(1).replaceAll(services(node, 5000));
        assertThat(nft.tables).containsExactly("np");
    }

    @Test
    void aBatchedFirstStartCreatesTheTablesForEveryServiceKnown() throws Exception {
        NftDataplane plane = plane(0);
        // the bare tables first (no Service in this sync, 2,500 known), then batches land in them
        plane.replaceAll(new SyncInput(Map.of(IpFamily.IPv4, Map.of()), node, 2500));
        assertThat(nft.tables).containsExactly("np-0", "np-1", "np-2", "np-3");
        plane.update(new SyncInput(Map.of(IpFamily.IPv4, Map.of("ns/svc-1", ports(1, 0))), node, 2500));
        assertThat(plane.ruleCount()).isPositive();
    }

    @Test
    void anImpossibleTableCountIsRefused() {
        assertThatThrownBy(() -> plane(33)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33");
        assertThatThrownBy(() -> plane(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
