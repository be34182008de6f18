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
import io.netplane.proxy.nft.TableScript;
import io.netplane.proxy.nft.TableSpec;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Programs one nftables table per IP family through {@link NftApplier}, keeping {@link AppliedTable}s in step. */
public final class NftDataplane implements Dataplane {
    private static final Logger LOG = Logger.getLogger(NftDataplane.class);

    /** Table-wide settings that do not come from events. */
    public record Settings(String tableName, List<String> clusterCidrs, List<String> serviceCidrs,
            List<String> nodePortAddresses, boolean masqueradeAll, int masqueradeBit) {
    }

    private final Settings settings;
    private final NftApplier applier;
    private final ConntrackCleaner conntrack;
    private final Map<IpFamily, AppliedTable> tables = new EnumMap<>(IpFamily.class);
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

    @Override
    public void replaceAll(SyncInput input) throws Exception {
        for (var e : input.services().entrySet()) {
            IpFamily family = e.getKey();
            AppliedTable table = tables.computeIfAbsent(family, f -> new AppliedTable());
            Map<String, ServiceFragment> all = new LinkedHashMap<>();
            e.getValue().forEach((key, ports) -> {
                if (!ports.isEmpty()) {
                    all.put(key, render(key, ports, family, input.node()));
                }
            });
            AppliedTable.Staged staged = table.stageFull(spec(family, input.node()), all);
            apply(table, staged);
            Map<String, List<PlannedPort>> before = programmed.getOrDefault(family, Map.of());
            Map<String, List<PlannedPort>> changes = new LinkedHashMap<>(e.getValue());
            before.keySet().forEach(k -> changes.putIfAbsent(k, List.of()));
            afterApply(family, changes, input.node());
        }
    }

    @Override
    public void update(SyncInput input) throws Exception {
        for (var e : input.services().entrySet()) {
            IpFamily family = e.getKey();
            AppliedTable table = tables.get(family);
            Map<String, ServiceFragment> changes = new LinkedHashMap<>();
            e.getValue().forEach((key, ports) ->
                    changes.put(key, ports.isEmpty() ? null : render(key, ports, family, input.node())));
            apply(table, table.stage(spec(family, input.node()), changes));
            afterApply(family, e.getValue(), input.node());
        }
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

    private void apply(AppliedTable table, AppliedTable.Staged staged) throws NftApplier.NftException {
        staged.conflicts().forEach(c -> LOG.warnf("conflicting Service address left out: %s", c));
        if (!staged.script().isEmpty()) {
            lastScriptBytes = staged.script().length();
            applier.apply(staged.script());
        }
        table.commit(staged);
    }

    /** Every table this data plane built still exists (someone may have flushed the ruleset). */
    @Override
    public boolean intact() {
        try {
            String tables = applier.listTables();
            return this.tables.keySet().stream().allMatch(f ->
                    tables.contains("table " + NftFamily.of(f).keyword() + " " + settings.tableName() + "\n")
                            || tables.endsWith("table " + NftFamily.of(f).keyword() + " " + settings.tableName()));
        } catch (NftApplier.NftException e) {
            return false;
        }
    }

    @Override
    public boolean coldStart() {
        if (!tables.isEmpty()) {
            return false;
        }
        try {
            return applier.listTables().lines().noneMatch(l -> l.trim().endsWith(" " + settings.tableName()));
        } catch (NftApplier.NftException e) {
            return false;
        }
    }

    @Override
    public int ruleCount() {
        return tables.values().stream().mapToInt(AppliedTable::ruleCount).sum();
    }

    /** Size of the last script sent to nft, in bytes. */
    public int lastScriptBytes() {
        return lastScriptBytes;
    }

    @Override
    public void remove() throws Exception {
        for (String family : List.of("ip", "ip6")) {
            applier.apply(TableScript.delete(new TableSpec(family.equals("ip") ? NftFamily.IP : NftFamily.IP6,
                    settings.tableName(), null, List.of(), 0)));
        }
        tables.clear();
    }

    private ServiceFragment render(String key, List<PlannedPort> ports, IpFamily family, NodeContext node) {
        return FragmentRenderer.render(key, ports, node.topology(), renderSettings(family, node));
    }

    RenderSettings renderSettings(IpFamily family, NodeContext node) {
        return new RenderSettings(NftFamily.of(family), ofFamily(settings.clusterCidrs(), family),
                node.allIPs().stream().filter(ip -> (ip.indexOf(':') >= 0) == (family == IpFamily.IPv6)).toList());
    }

    TableSpec spec(IpFamily family, NodeContext node) {
        boolean cidrs = settings.nodePortAddresses().stream().anyMatch(a -> !"primary".equals(a));
        NodePortAddresses.Selection nodePorts = NodePortAddresses.select(settings.nodePortAddresses(),
                node.internalIPs(), node.allIPs(), cidrs ? interfaceIPs.get() : List.of(), family);
        String before = nodePortProblems.put(family, nodePorts.problem());
        if (nodePorts.problem() != null && !nodePorts.problem().equals(before)) {
            LOG.warnf("node %s: %s", node.topology().nodeName(), nodePorts.problem());
        }
        return new TableSpec(NftFamily.of(family), settings.tableName(), nodePorts.addresses(),
                ofFamily(settings.serviceCidrs(), family), 1 << settings.masqueradeBit(),
                ofFamily(settings.clusterCidrs(), family), settings.masqueradeAll());
    }

    private static List<String> ofFamily(List<String> cidrs, IpFamily family) {
        return cidrs.stream().map(Cidr::parse).filter(c -> c.family() == family).map(Cidr::toString).toList();
    }
}
