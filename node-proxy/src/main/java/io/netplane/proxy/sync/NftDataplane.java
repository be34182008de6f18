package io.netplane.proxy.sync;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.NodeContext;
import io.netplane.proxy.model.NodePortAddresses;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.StaleFlows;
import io.netplane.proxy.nft.AppliedTable;
import io.netplane.proxy.nft.FragmentRenderer;
import io.netplane.proxy.nft.NftFamily;
import io.netplane.proxy.nft.RenderSettings;
import io.netplane.proxy.nft.ServiceFragment;
import io.netplane.proxy.nft.TableShards;
import io.netplane.proxy.nft.TableSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Programs this proxy's nftables tables through {@link NftApplier}, keeping {@link AppliedTable}s in step: per IP
 * family, one table, or {@link TableShards several} when the cluster has many Services (chosen at each full
 * sync, from the number of Services then known).
 */
public final class NftDataplane implements Dataplane {
    private static final Logger LOG = Logger.getLogger(NftDataplane.class);

    /**
     * Table-wide settings that do not come from events.
     *
     * @param tableShards tables per family; 0 chooses from the number of Services ({@link TableShards#forServices})
     */
    public record Settings(String tableName, List<String> clusterCidrs, List<String> serviceCidrs,
            List<String> nodePortAddresses, boolean masqueradeAll, int masqueradeBit, int tableShards) {
    }

    private final Settings settings;
    private final NftApplier applier;
    private final ConntrackCleaner conntrack;
    /** Per family, the tables now programmed, by shard. */
    private final Map<IpFamily, List<AppliedTable>> tables = new EnumMap<>(IpFamily.class);
    private volatile int rules;
    private final Map<IpFamily, Map<String, List<PlannedPort>>> programmed = new EnumMap<>(IpFamily.class);
    private final Supplier<List<String>> interfaceIPs;
    private final Map<IpFamily, String> nodePortProblems = new EnumMap<>(IpFamily.class);
    private volatile int lastScriptBytes;

    /** @param conntrack clears stale UDP flows after changes; null to skip */
    public NftDataplane(Settings settings, NftApplier applier, ConntrackCleaner conntrack) {
        this(settings, applier, conntrack, List::of);
    }

    /** @param interfaceIPs this node's interface addresses, read when {@code nodeport-addresses} has CIDRs */
    public NftDataplane(Settings settings, NftApplier applier, ConntrackCleaner conntrack,
            Supplier<List<String>> interfaceIPs) {
        if (settings.tableShards() < 0 || settings.tableShards() > TableShards.MAX_TABLES) {
            throw new IllegalArgumentException("table-shards must be 0 (chosen from the number of Services) to "
                    + TableShards.MAX_TABLES + ", not " + settings.tableShards());
        }
        this.settings = settings;
        this.applier = applier;
        this.conntrack = conntrack;
        this.interfaceIPs = interfaceIPs;
    }

    /** The data plane of a node whose interface addresses are read with {@code ip} (in {@code netns}, if set). */
    public static NftDataplane withInterfaces(Settings settings, NftApplier applier, ConntrackCleaner conntrack,
            java.util.Optional<String> netns) {
        return new NftDataplane(settings, applier, conntrack, new InterfaceAddresses(netns));
    }

    /**
     * Rebuilds each table in a transaction of its own (so that no nft run holds more than one table, and the
     * other tables keep serving meanwhile), then drops the tables of another shard count.
     */
    @Override
    public void replaceAll(SyncInput input) throws Exception {
        int k = settings.tableShards() > 0 ? settings.tableShards() : TableShards.forServices(input.knownServices());
        for (var e : input.services().entrySet()) {
            IpFamily family = e.getKey();
            List<Map<String, ServiceFragment>> byShard = perTable(k);
            e.getValue().forEach((key, ports) -> {
                if (!ports.isEmpty()) {
                    byShard.get(TableShards.of(key, k)).put(key, render(key, ports, family, input.node()));
                }
            });
            List<AppliedTable> next = new ArrayList<>();
            for (int s = 0; s < k; s++) {
                AppliedTable table = new AppliedTable();
                apply(List.of(table), List.of(table.stageFull(spec(family, input.node(), s, k), byShard.get(s))));
                next.add(table);
            }
            tables.put(family, next);
            dropOthers(family, k);
            Map<String, List<PlannedPort>> before = programmed.getOrDefault(family, Map.of());
            Map<String, List<PlannedPort>> changes = new LinkedHashMap<>(e.getValue());
            before.keySet().forEach(key -> changes.putIfAbsent(key, List.of()));
            afterApply(family, changes, input.node());
        }
        countRules();
    }

    /** Changes of several tables go in one transaction. */
    @Override
    public void update(SyncInput input) throws Exception {
        for (var e : input.services().entrySet()) {
            IpFamily family = e.getKey();
            List<AppliedTable> shards = tables.get(family);
            int k = shards.size();
            List<Map<String, ServiceFragment>> byShard = perTable(k);
            e.getValue().forEach((key, ports) -> byShard.get(TableShards.of(key, k))
                    .put(key, ports.isEmpty() ? null : render(key, ports, family, input.node())));
            List<AppliedTable> touched = new ArrayList<>();
            List<AppliedTable.Staged> staged = new ArrayList<>();
            for (int s = 0; s < k; s++) {
                if (!byShard.get(s).isEmpty()) {
                    touched.add(shards.get(s));
                    staged.add(shards.get(s).stage(spec(family, input.node(), s, k), byShard.get(s)));
                }
            }
            apply(touched, staged);
            afterApply(family, e.getValue(), input.node());
        }
        countRules();
    }

    private static List<Map<String, ServiceFragment>> perTable(int k) {
        List<Map<String, ServiceFragment>> out = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            out.add(new LinkedHashMap<>());
        }
        return out;
    }

    /**
     * Deletes this family's tables that belong to another shard count (left by an earlier full sync or run): every
     * other name such a table could have, in one transaction that needs no listing ("add" first, so that
     * "delete" never fails on a missing table).
     */
    private void dropOthers(IpFamily family, int k) throws NftApplier.NftException {
        String keyword = NftFamily.of(family).keyword();
        if (k == 1 && !applier.hasTable(keyword, TableShards.name(settings.tableName(), 0, 2))) {
            return; // the common case: one table before and after, nothing else of ours to look for
        }
        Set<String> current = new HashSet<>();
        for (int s = 0; s < k; s++) {
            current.add(TableShards.name(settings.tableName(), s, k));
        }
        StringBuilder script = new StringBuilder();
        TableShards.candidates(settings.tableName()).stream().filter(name -> !current.contains(name))
                .forEach(name -> deleteTable(script, keyword, name));
        applier.apply(script.toString());
    }

    private static void deleteTable(StringBuilder script, String keyword, String name) {
        script.append("add table ").append(keyword).append(' ').append(name).append('\n');
        script.append("delete table ").append(keyword).append(' ').append(name).append('\n');
    }

    /** Records what is programmed now and clears the UDP flows the change made stale. */
    private void afterApply(IpFamily family, Map<String, List<PlannedPort>> changes, NodeContext node) {
        Map<String, List<PlannedPort>> now = programmed.computeIfAbsent(family, f -> new LinkedHashMap<>());
        List<StaleFlows.FlowDelete> stale = new java.util.ArrayList<>();
        changes.forEach((key, ports) -> {
            stale.addAll(StaleFlows.between(now.getOrDefault(key, List.of()), ports, node.topology()));
            if (ports.isEmpty()) {
                now.remove(key);
            } else {
                now.put(key, ports);
            }
        });
        if (conntrack != null && !stale.isEmpty()) {
            conntrack.delete(stale);
        }
    }

    /** One nft transaction for all of them; each table records its change only once nft accepted it. */
    private void apply(List<AppliedTable> tables, List<AppliedTable.Staged> staged) throws NftApplier.NftException {
        StringBuilder script = new StringBuilder();
        for (AppliedTable.Staged st : staged) {
            st.conflicts().forEach(c -> LOG.warnf("conflicting Service address left out: %s", c));
            script.append(st.script());
        }
        if (!script.isEmpty()) {
            lastScriptBytes = script.length();
            applier.apply(script.toString());
        }
        for (int i = 0; i < tables.size(); i++) {
            tables.get(i).commit(staged.get(i));
        }
    }

    /** Every table this data plane built still exists (someone may have flushed the ruleset). */
    @Override
    public boolean intact() {
        for (var e : tables.entrySet()) {
            String keyword = NftFamily.of(e.getKey()).keyword();
            int k = e.getValue().size();
            for (int s = 0; s < k; s++) {
                if (!applier.hasTable(keyword, TableShards.name(settings.tableName(), s, k))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** No table of this proxy exists: neither the single one nor the first of several, in either family. */
    @Override
    public boolean coldStart() {
        if (!tables.isEmpty()) {
            return false;
        }
        for (NftFamily f : List.of(NftFamily.IP, NftFamily.IP6)) {
            if (applier.hasTable(f.keyword(), settings.tableName())
                    || applier.hasTable(f.keyword(), TableShards.name(settings.tableName(), 0, 2))) {
                return false;
            }
        }
        return true;
    }

    /** Read by health checks on other threads while the sync thread changes the tables: counted after each apply. */
    @Override
    public int ruleCount() {
        return rules;
    }

    private void countRules() {
        rules = tables.values().stream().flatMap(List::stream).mapToInt(AppliedTable::ruleCount).sum();
    }

    /** Size of the last script sent to nft, in bytes. */
    public int lastScriptBytes() {
        return lastScriptBytes;
    }

    /** Tables per family now programmed (0 before the first full sync). */
    public int tablesPerFamily() {
        return tables.values().stream().mapToInt(List::size).max().orElse(0);
    }

    @Override
    public void remove() throws Exception {
        StringBuilder script = new StringBuilder();
        for (NftFamily f : List.of(NftFamily.IP, NftFamily.IP6)) {
            TableShards.candidates(settings.tableName()).forEach(name -> deleteTable(script, f.keyword(), name));
        }
        applier.apply(script.toString());
        tables.clear();
    }

    private ServiceFragment render(String key, List<PlannedPort> ports, IpFamily family, NodeContext node) {
        return FragmentRenderer.render(key, ports, node.topology(), renderSettings(family, node));
    }

    RenderSettings renderSettings(IpFamily family, NodeContext node) {
        return new RenderSettings(NftFamily.of(family), ofFamily(settings.clusterCidrs(), family),
                node.allIPs().stream().filter(ip -> (ip.indexOf(':') >= 0) == (family == IpFamily.IPv6)).toList());
    }

    TableSpec spec(IpFamily family, NodeContext node, int shard, int k) {
        boolean cidrs = settings.nodePortAddresses().stream().anyMatch(a -> !"primary".equals(a));
        NodePortAddresses.Selection nodePorts = NodePortAddresses.select(settings.nodePortAddresses(),
                node.internalIPs(), node.allIPs(), cidrs ? interfaceIPs.get() : List.of(), family);
        String before = nodePortProblems.put(family, nodePorts.problem());
        if (nodePorts.problem() != null && !nodePorts.problem().equals(before)) {
            LOG.warnf("node %s: %s", node.topology().nodeName(), nodePorts.problem());
        }
        return new TableSpec(NftFamily.of(family), TableShards.name(settings.tableName(), shard, k),
                nodePorts.addresses(), ofFamily(settings.serviceCidrs(), family), 1 << settings.masqueradeBit(),
                ofFamily(settings.clusterCidrs(), family), settings.masqueradeAll(), k > 1);
    }

    private static List<String> ofFamily(List<String> cidrs, IpFamily family) {
        return cidrs.stream().map(Cidr::parse).filter(c -> c.family() == family).map(Cidr::toString).toList();
    }
}
