package io.netplane.ipam.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpFamily;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.LoadBalancerAssigner;
import io.netplane.ipam.authority.PodCidrPool;
import io.netplane.ipam.config.IpamConfig;
import io.netplane.ipam.pools.AddressBlock;
import io.netplane.ipam.pools.PodCidrRange;
import io.netplane.runtime.leader.LeaderGate;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Starts the Kubernetes watchers when configured (kubernetes store and {@code netplane.ipam.controllers=true}) on
 * the holder of the Lease only: two replicas assigning LoadBalancer addresses to the same Service would fight. Every
 * replica serves the webhook and the REST API, whose claims are atomic anyway. Losing the Lease stops the watchers;
 * leading again starts fresh ones, whose first list repairs whatever changed in between.
 */
@ApplicationScoped
public class Controllers {
    private static final Logger LOG = Logger.getLogger(Controllers.class);

    @Inject
    IpamConfig config;
    @Inject
    AddressAuthority authority;
    @Inject
    Instance<KubernetesClient> client;
    @Inject
    Clock clock;
    @Inject
    MeterRegistry meters;

    private LeaderGate gate;
    private volatile ServiceController services;
    private volatile PoolController pools;
    private volatile NodeController nodes;
    private ScheduledFuture<?> repair;
    private LoadBalancerAssigner loadBalancers;
    private ServiceCidrWatch serviceCidrs;
    private final List<PodCidrPool> podPools = new ArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "ipam-pools-nodes"));
    private final ScheduledExecutorService repairTimer =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "ipam-node-repair"));

    void start(@Observes StartupEvent ev) {
        SecureRandom random = new SecureRandom();
        for (String c : config.clusterCidrs()) {
            Cidr cidr = Cidr.parseStrict(c.strip());
            int mask = cidr.family() == IpFamily.IPv4 ? config.nodeCidrMaskSizeIpv4() : config.nodeCidrMaskSizeIpv6();
            PodCidrPool pool = new PodCidrPool(new PodCidrRange(cidr, mask, random));
            authority.register(pool);
            podPools.add(pool);
        }
        loadBalancers = new LoadBalancerAssigner(authority, config.loadBalancerClass(), random);
        if (!config.controllers() || !"kubernetes".equals(config.store())) {
            return;
        }
        KubernetesClient c = client.get();
        serviceCidrs = new ServiceCidrWatch(c, authority);
        if (!config.leaderElection().enabled()) {
            lead();
            return;
        }
        gate = new LeaderGate(c, config.leaderElection().settings("ipam-service", c.getNamespace()), this::lead,
                this::stopLeading, meters, clock);
        gate.start();
    }

    private synchronized void lead() {
        LOG.info("leading: starting the Service, pool and Node controllers");
        KubernetesClient c = client.get();
        EventRecorder events = new EventRecorder(c, clock);
        List<AddressBlock> reserved = new ArrayList<>();
        config.serviceCidrs().forEach(s -> reserved.add(AddressBlock.of(Cidr.parse(s.strip()))));
        config.clusterCidrs().forEach(s -> reserved.add(AddressBlock.of(Cidr.parse(s.strip()))));
        LoadBalancerStep lbStep = new LoadBalancerStep(c, loadBalancers, events, () -> worker.execute(() -> {
            PoolController current = pools;
            if (current != null) {
                current.refreshStatus();
            }
        }));
        ServiceController svc = new ServiceController(c, authority, Duration.ofSeconds(config.repairGraceSeconds()),
                events, clock, lbStep);
        services = svc;
        pools = new PoolController(c, loadBalancers, reserved, worker, clock, svc::requeueLoadBalancers);
        pools.start();
        svc.start(Duration.ofSeconds(config.repairIntervalSeconds()));
        NodeController n = new NodeController(c, authority, podPools, events, worker);
        nodes = n;
        n.start();
        long every = config.repairIntervalSeconds();
        repair = repairTimer.scheduleWithFixedDelay(() -> worker.execute(n::releaseOrphans), every, every,
                TimeUnit.SECONDS);
    }

    private void stopLeading() {
        LOG.info("no longer leading: stopping the controllers");
        closeControllers();
    }

    private synchronized void closeControllers() {
        if (repair != null) {
            repair.cancel(false);
            repair = null;
        }
        if (services != null) {
            services.close();
            services = null;
        }
        if (pools != null) {
            pools.close();
            pools = null;
        }
        if (nodes != null) {
            nodes.close();
            nodes = null;
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (gate != null) {
            gate.close();
        }
        closeControllers();
        if (serviceCidrs != null) {
            serviceCidrs.close();
        }
        repairTimer.shutdownNow();
        worker.shutdownNow();
    }

    public LoadBalancerAssigner loadBalancers() {
        return loadBalancers;
    }

    public Optional<ServiceController> services() {
        return Optional.ofNullable(services);
    }

    /** The Lease gate, when leader election is on. */
    public Optional<LeaderGate> gate() {
        return Optional.ofNullable(gate);
    }

    /**
     * Ready when a leader is known (this replica or another; see {@link LeaderGate#leaderKnown()}) and, on the leader,
     * once its watches have synced. A standby serves the webhook and the API from the allocation map.
     */
    public synchronized boolean ready() {
        if (gate != null && !gate.leaderKnown()) {
            return false;
        }
        return services == null || (services.synced() && pools != null && pools.synced() && nodes != null
                && nodes.synced());
    }
}
