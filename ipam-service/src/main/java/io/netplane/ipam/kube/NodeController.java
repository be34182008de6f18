package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netplane.api.events.ObjectRef;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.PodCidrPool;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.records.AllocationRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Node IPAM: a new Node without {@code spec.podCIDRs} gets one subnet per configured cluster CIDR (family order),
 * an existing Node's subnets are adopted, a deleted Node's are released. Subnets are claimed before the Node is
 * patched and reused if the patch has to be retried, so a Node never gets two.
 */
public final class NodeController implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeController.class);
    private final KubernetesClient client;
    private final AddressAuthority authority;
    private final List<PodCidrPool> pools;
    private final EventRecorder events;
    private final Executor worker;
    private SharedIndexInformer<Node> informer;

    public NodeController(KubernetesClient client, AddressAuthority authority, List<PodCidrPool> pools,
            EventRecorder events, Executor worker) {
        this.client = client;
        this.authority = authority;
        this.pools = pools;
        this.events = events;
        this.worker = worker;
    }

    public void start() {
        informer = client.nodes().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node n) {
                worker.execute(() -> changed(n));
            }

            @Override
            public void onUpdate(Node a, Node n) {
                worker.execute(() -> changed(n));
            }

            @Override
            public void onDelete(Node n, boolean unknown) {
                worker.execute(() -> authority.ownedBy(owner(n)).forEach(authority::release));
            }
        }, 0);
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

    static ObjectRef owner(Node n) {
        return new ObjectRef("Node", null, n.getMetadata().getName(), null);
    }

    private void changed(Node n) {
        try {
            List<String> have = n.getSpec() == null || n.getSpec().getPodCIDRs() == null ? List.of()
                    : n.getSpec().getPodCIDRs();
            if (!have.isEmpty()) {
                adopt(n, have);
            } else {
                assign(n);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "node %s: pod CIDR reconcile failed", n.getMetadata().getName());
        }
    }

    private void adopt(Node n, List<String> cidrs) {
        for (String c : cidrs) {
            Optional<PodCidrPool> pool = pools.stream().filter(p -> p.contains(c)).findFirst();
            if (pool.isEmpty()) {
                continue;
            }
            try {
                authority.claim(pool.get(), c, AllocationRecord.POD_CIDR, owner(n));
            } catch (AllocationException e) {
                events.warning(n, "CIDRNotAvailable", "podCIDR " + c + " is also allocated elsewhere: "
                        + e.getMessage());
            }
        }
    }

    private void assign(Node n) {
        List<AllocationRecord> held = authority.ownedBy(owner(n));
        List<String> cidrs = new ArrayList<>();
        Set<String> claimedNow = new HashSet<>();
        for (PodCidrPool p : pools) {
            Optional<AllocationRecord> mine = held.stream().filter(r -> p.name().equals(r.pool())).findFirst();
            if (mine.isPresent()) {
                cidrs.add(mine.get().value());
                continue;
            }
            try {
                AllocationRecord r = authority.claim(p, null, AllocationRecord.POD_CIDR, owner(n));
                claimedNow.add(r.name());
                cidrs.add(r.value());
            } catch (AllocationException e) {
                events.warning(n, "CIDRNotAvailable", "no pod CIDR left in " + p.range() + ": " + e.getMessage());
                authority.ownedBy(owner(n)).stream().filter(r -> claimedNow.contains(r.name()))
                        .forEach(authority::release);
                return;
            }
        }
        try {
            client.nodes().withName(n.getMetadata().getName()).edit(node -> {
                if (node.getSpec().getPodCIDRs() == null || node.getSpec().getPodCIDRs().isEmpty()) {
                    node.getSpec().setPodCIDR(cidrs.get(0));
                    node.getSpec().setPodCIDRs(cidrs);
                }
                return node;
            });
        } catch (KubernetesClientException e) {
            LOG.warnf("node %s: could not set podCIDRs %s (kept for the retry): %s", n.getMetadata().getName(), cidrs,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
