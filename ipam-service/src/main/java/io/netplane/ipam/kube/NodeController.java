package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.report.Problem;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.PodCidrPool;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.runtime.control.ControlLoop;
import io.netplane.runtime.control.QueueingHandler;
import io.netplane.runtime.events.EventRecorder;
import io.netplane.runtime.events.Subject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node IPAM for one term of leadership: a new Node without {@code spec.podCIDRs} gets one subnet per configured
 * cluster CIDR (family order), an existing Node's subnets are adopted, a deleted Node's are released. Subnets are
 * claimed before the Node is patched and reused when a failed patch is retried, so a Node never gets two. Its keys
 * ({@code node/<name>}, {@link #ORPHANS_KEY}) run on the pools-and-nodes loop.
 */
public final class NodeController implements AutoCloseable {
    public static final String KEY_PREFIX = "node/";
    /** The loop's key of the periodic release of pod CIDRs whose Node is gone. */
    public static final String ORPHANS_KEY = "node-orphans";
    /** Upstream's node IPAM controller's reason for a Node whose podCIDRs could not be written. */
    public static final String ASSIGNMENT_FAILED = "CIDRAssignmentFailed";
    static final String NOT_AVAILABLE = "CIDRNotAvailable";
    private final KubernetesClient client;
    private final AddressAuthority authority;
    private final List<PodCidrPool> pools;
    private final EventRecorder events;
    private final ControlLoop loop;
    /** The uid of each Node whose delete event was seen and not yet reconciled (a new Node may reuse the name). */
    private final Map<String, String> deleted = new ConcurrentHashMap<>();
    private volatile SharedIndexInformer<Node> informer;

    public NodeController(KubernetesClient client, AddressAuthority authority, List<PodCidrPool> pools,
            EventRecorder events, ControlLoop loop) {
        this.client = client;
        this.authority = authority;
        this.pools = pools;
        this.events = events;
        this.loop = loop;
    }

    public void start() {
        // assigned before the first event, whose reconcile reads the store
        informer = client.nodes().runnableInformer(0);
        informer.addEventHandler(QueueingHandler.<Node>mapped(n -> List.of(key(n)), loop::addAll)
                .onDelete(n -> deleted.put(n.getMetadata().getName(), String.valueOf(n.getMetadata().getUid()))));
        informer.run();
    }

    /** Reconciles {@code node/<name>}; throws (a failed patch) for the loop to retry. */
    public void reconcile(String key) {
        String name = key.substring(KEY_PREFIX.length());
        Node n = informer == null ? null : informer.getStore().getByKey(name);
        String goneUid = deleted.get(name);
        if (goneUid != null && (n == null || !goneUid.equals(n.getMetadata().getUid()))) {
            authority.ownedBy(owner(name)).forEach(authority::release);
            events.forget(nodeSubject(name));
        }
        if (goneUid != null) {
            deleted.remove(name, goneUid);
        }
        if (n != null) {
            changed(n);
        }
    }

    /** The Node a key names, for the Event of a reconcile that keeps failing. */
    public Optional<Subject> subject(String key) {
        if (!key.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        String name = key.substring(KEY_PREFIX.length());
        Node n = informer == null ? null : informer.getStore().getByKey(name);
        return Optional.of(n == null ? nodeSubject(name) : Subject.of(n));
    }

    /** Releases pod CIDRs of Nodes that no longer exist (deleted while ipam-service was not watching). */
    public int releaseOrphans() {
        if (informer == null || !informer.hasSynced()) {
            return 0;
        }
        Set<String> live = new HashSet<>();
        informer.getStore().list().forEach(n -> live.add(n.getMetadata().getName()));
        int released = 0;
        for (AllocationRecord r : authority.store().list()) {
            if (AllocationRecord.POD_CIDR.equals(r.kind()) && r.owner() != null && "Node".equals(r.owner().kind())
                    && !live.contains(r.owner().name()) && authority.release(r)) {
                released++;
            }
        }
        return released;
    }

    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    static ObjectRef owner(String name) {
        return new ObjectRef("Node", null, name, null);
    }

    private static String key(Node n) {
        return KEY_PREFIX + n.getMetadata().getName();
    }

    private static Subject nodeSubject(String name) {
        return new Subject("v1", "Node", null, name, null);
    }

    private void changed(Node n) {
        List<String> have = n.getSpec() == null || n.getSpec().getPodCIDRs() == null ? List.of()
                : n.getSpec().getPodCIDRs();
        List<Problem> problems = new ArrayList<>();
        if (!have.isEmpty()) {
            adopt(n, have, problems);
        } else {
            assign(n, problems);
        }
        events.report(Subject.of(n), problems);
    }

    private void adopt(Node n, List<String> cidrs, List<Problem> problems) {
        for (String c : cidrs) {
            Optional<PodCidrPool> pool = pools.stream().filter(p -> p.contains(c)).findFirst();
            if (pool.isEmpty()) {
                continue;
            }
            try {
                authority.claim(pool.get(), c, AllocationRecord.POD_CIDR, owner(n.getMetadata().getName()));
            } catch (AllocationException e) {
                problems.add(Problem.warning(NOT_AVAILABLE, "podCIDR " + c + " is also allocated elsewhere: "
                        + e.getMessage()));
            }
        }
    }

    /** Claims one subnet per pool (or reuses the one held) and writes them; a failed write is thrown, kept claimed. */
    private void assign(Node n, List<Problem> problems) {
        ObjectRef owner = owner(n.getMetadata().getName());
        List<AllocationRecord> held = authority.ownedBy(owner);
        List<String> cidrs = new ArrayList<>();
        Set<String> claimedNow = new HashSet<>();
        for (PodCidrPool p : pools) {
            Optional<AllocationRecord> mine = held.stream().filter(r -> p.name().equals(r.pool())).findFirst();
            if (mine.isPresent()) {
                cidrs.add(mine.get().value());
                continue;
            }
            try {
                AllocationRecord r = authority.claim(p, null, AllocationRecord.POD_CIDR, owner);
                claimedNow.add(r.name());
                cidrs.add(r.value());
            } catch (AllocationException e) {
                problems.add(Problem.warning(NOT_AVAILABLE, "no pod CIDR left in " + p.range() + ": "
                        + e.getMessage()));
                authority.ownedBy(owner).stream().filter(r -> claimedNow.contains(r.name()))
                        .forEach(authority::release);
                return;
            }
        }
        if (cidrs.isEmpty()) {
            return;
        }
        client.nodes().withName(n.getMetadata().getName()).edit(node -> {
            if (node.getSpec().getPodCIDRs() == null || node.getSpec().getPodCIDRs().isEmpty()) {
                node.getSpec().setPodCIDR(cidrs.get(0));
                node.getSpec().setPodCIDRs(cidrs);
            }
            return node;
        });
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
