package io.netplane.ipam.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.net.Cidr;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.LoadBalancerAssigner;
import io.netplane.ipam.authority.PodCidrPool;
import io.netplane.ipam.config.IpamConfig;
import io.netplane.ipam.pools.AddressBlock;
import io.netplane.ipam.pools.PodCidrRange;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Starts the Kubernetes watchers when configured (kubernetes store and {@code netplane.ipam.controllers=true}). */
@ApplicationScoped
public class Controllers {
    @Inject
    IpamConfig config;
    @Inject
    AddressAuthority authority;
    @Inject
    Instance<KubernetesClient> client;
    @Inject
    Clock clock;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Controllers.class);
    private java.util.concurrent.CompletableFuture<?> election;
    private volatile ServiceController services;
    private volatile PoolController pools;
    private volatile NodeController nodes;
    private LoadBalancerAssigner loadBalancers;
    private ServiceCidrWatch serviceCidrs;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "ipam-pools-nodes"));
    private final java.util.concurrent.ScheduledExecutorService repairTimer =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "ipam-node-repair"));

    void start(@Observes StartupEvent ev) {
        SecureRandom random = new SecureRandom();
        List<PodCidrPool> podPools = new ArrayList<>();
        for (String c : config.clusterCidrs()) {
            Cidr cidr = Cidr.parseStrict(c.strip());
            int mask = cidr.family() == io.netplane.api.net.IpFamily.IPv4 ? config.nodeCidrMaskSizeIpv4()
                    : config.nodeCidrMaskSizeIpv6();
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
        String identity = System.getenv().getOrDefault("HOSTNAME", "ipam") + "-" + java.util.UUID.randomUUID();
        String namespace = c.getNamespace() == null ? "default" : c.getNamespace();
        election = c.leaderElector().withConfig(new io.fabric8.kubernetes.client.extended.leaderelection
                .LeaderElectionConfigBuilder()
                .withName("netplane-ipam-service")
                .withLeaseDuration(Duration.ofSeconds(15)).withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(Duration.ofSeconds(2))
                .withLock(new io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock(namespace,
                        "netplane-ipam-service", identity))
                .withLeaderCallbacks(new io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks(
                        () -> lead(c, podPools), this::stopLeading, leader -> LOG.infof("ipam leader: %s", leader)))
                .withReleaseOnCancel(true)
                .build()).build().start();
    }

    /**
     * Only the leader watches and repairs (two replicas assigning LoadBalancer addresses to the same Service would
     * fight); every replica serves the webhook and the REST API, whose claims are atomic anyway.
     */
    private synchronized void lead(KubernetesClient c, List<PodCidrPool> podPools) {
        LOG.info("leading: starting the Service, pool and Node controllers");
        EventRecorder events = new EventRecorder(c, clock);
        List<AddressBlock> reserved = new ArrayList<>();
        config.serviceCidrs().forEach(s -> reserved.add(AddressBlock.of(Cidr.parse(s.strip()))));
        config.clusterCidrs().forEach(s -> reserved.add(AddressBlock.of(Cidr.parse(s.strip()))));
        LoadBalancerStep lbStep = new LoadBalancerStep(c, loadBalancers, events, () -> worker.execute(
                () -> pools.refreshStatus()));
        services = new ServiceController(c, authority, Duration.ofSeconds(config.repairGraceSeconds()), events, clock,
                lbStep);
        pools = new PoolController(c, loadBalancers, reserved, worker, clock, () -> services.requeueLoadBalancers());
        pools.start();
        services.start(Duration.ofSeconds(config.repairIntervalSeconds()));
        nodes = new NodeController(c, authority, podPools, events, worker);
        nodes.start();
        long every = config.repairIntervalSeconds();
        repairTimer.scheduleWithFixedDelay(() -> worker.execute(nodes::releaseOrphans), every, every,
                java.util.concurrent.TimeUnit.SECONDS);
    }

    private synchronized void stopLeading() {
        LOG.info("no longer leading: stopping the controllers");
        closeControllers();
    }

    private synchronized void closeControllers() {
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
        if (election != null) {
            election.cancel(true);
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

    /** Ready when not leading (webhook and API serve from the allocation map), or when the leader's watches synced. */
    public synchronized boolean ready() {
        return services == null || (services.synced() && pools != null && pools.synced() && nodes != null
                && nodes.synced());
    }
}
