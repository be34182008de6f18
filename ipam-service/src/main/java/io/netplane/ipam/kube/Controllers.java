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
import io.netplane.runtime.control.ControlLoop;
import io.netplane.runtime.control.ControlLoop.Result;
import io.netplane.runtime.events.EventRecorder;
import io.netplane.runtime.events.Subject;
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
import org.jboss.logging.Logger;

/**
 * Starts the Kubernetes watchers when configured (kubernetes store and {@code netplane.ipam.controllers=true}) on
 * the holder of the Lease only: two replicas assigning LoadBalancer addresses to the same Service would fight. Every
 * replica serves the webhook and the REST API, whose claims are atomic anyway.
 *
 * <p>The work runs on two control loops that live as long as the process: {@code ipam-services} (Service keys and
 * the full repair pass) and {@code ipam-pools-nodes} (pool validation, pool status, Node keys and the orphan release).
 * Each has one worker on purpose: the full repair pass must not race with the per-Service repairs it double-checks,
 * and the pod CIDR pools ({@link PodCidrPool}) and the pool list of the {@link LoadBalancerAssigner} are changed by
 * the pools-and-nodes work only, from one thread, as before. A failing key is retried with backoff; from its
 * {@value #WARN_AFTER_ATTEMPTS}rd failed attempt on it is also a Warning Event on its object. While another replica
 * leads, both loops are paused and the watchers are closed; leading again starts fresh watchers, whose first list
 * queues every object again (and so repairs whatever changed in between), then resumes the loops.
 */
@ApplicationScoped
public class Controllers {
    static final String COMPONENT = "ipam-service";
    static final int WARN_AFTER_ATTEMPTS = 3;
    /** The reason of the Warning on a Service whose records could not be repaired, again and again. */
    static final String REPAIR_FAILED = "AllocationRepairFailed";
    private static final Duration BACKOFF_BASE = Duration.ofMillis(200);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(60);
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
    private LoadBalancerAssigner loadBalancers;
    private ServiceCidrWatch serviceCidrs;
    private EventRecorder events;
    private ControlLoop serviceLoop;
    private ControlLoop poolNodeLoop;
    private Duration repairInterval;
    private final List<PodCidrPool> podPools = new ArrayList<>();

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
        events = new EventRecorder(c, COMPONENT, System.getenv("HOSTNAME"), clock);
        repairInterval = Duration.ofSeconds(config.repairIntervalSeconds());
        startLoops();
        if (!config.leaderElection().enabled()) {
            lead();
            return;
        }
        gate = new LeaderGate(c, config.leaderElection().settings("ipam-service", c.getNamespace()), this::lead,
                this::stopLeading, meters, clock);
        gate.start();
    }

    /** Both loops, paused until this replica leads; each periodic pass is one key that queues itself again. */
    private void startLoops() {
        ControlLoop.FailureListener lbFailed = events.warnAfter(WARN_AFTER_ATTEMPTS, LoadBalancerStep.SYNC_FAILED,
                this::serviceSubject);
        ControlLoop.FailureListener repairFailed = events.warnAfter(WARN_AFTER_ATTEMPTS, REPAIR_FAILED,
                this::serviceSubject);
        serviceLoop = ControlLoop.builder("ipam-services", this::reconcileService).workers(1)
                .backoff(BACKOFF_BASE, BACKOFF_MAX).meters(meters).startPaused()
                .onFailure((key, n, e) -> (e instanceof LoadBalancerStep.SyncFailed ? lbFailed : repairFailed)
                        .failed(key, n, e))
                .build();
        ControlLoop.FailureListener nodeFailed = events.warnAfter(WARN_AFTER_ATTEMPTS,
                NodeController.ASSIGNMENT_FAILED, k -> Optional.ofNullable(nodes).flatMap(n -> n.subject(k)));
        ControlLoop.FailureListener poolFailed = events.warnAfter(WARN_AFTER_ATTEMPTS, PoolController.STATUS_FAILED,
                k -> Optional.ofNullable(pools).flatMap(p -> p.subject(k)));
        poolNodeLoop = ControlLoop.builder("ipam-pools-nodes", this::reconcilePoolOrNode).workers(1)
                .backoff(BACKOFF_BASE, BACKOFF_MAX).meters(meters).startPaused()
                .onFailure((key, n, e) -> (key.startsWith(NodeController.KEY_PREFIX) ? nodeFailed : poolFailed)
                        .failed(key, n, e))
                .build();
        serviceLoop.start();
        poolNodeLoop.start();
        serviceLoop.addAfter(ServiceController.REPAIR_KEY, repairInterval);
        poolNodeLoop.addAfter(NodeController.ORPHANS_KEY, repairInterval);
    }

    private Result reconcileService(String key) {
        ServiceController s = services; // null only for a key handed out just before the loop paused
        if (ServiceController.REPAIR_KEY.equals(key)) {
            if (s != null) {
                s.repairAll();
            }
            return Result.requeueAfter(repairInterval);
        }
        if (s != null) {
            s.reconcile(key);
        }
        return Result.DONE;
    }

    private Result reconcilePoolOrNode(String key) {
        NodeController n = nodes;
        if (NodeController.ORPHANS_KEY.equals(key)) {
            if (n != null) {
                n.releaseOrphans();
            }
            return Result.requeueAfter(repairInterval);
        }
        if (key.startsWith(NodeController.KEY_PREFIX)) {
            if (n != null) {
                n.reconcile(key);
            }
            return Result.DONE;
        }
        PoolController p = pools;
        if (p != null) {
            p.reconcile(key);
        }
        return Result.DONE;
    }

    private Optional<Subject> serviceSubject(String key) {
        return ServiceController.REPAIR_KEY.equals(key) ? Optional.empty()
                : Optional.ofNullable(services).flatMap(s -> s.subject(key));
    }

    private synchronized void lead() {
        LOG.info("leading: starting the Service, pool and Node controllers");
        KubernetesClient c = client.get();
        List<AddressBlock> reserved = new ArrayList<>();
        config.serviceCidrs().forEach(s -> reserved.add(AddressBlock.of(Cidr.parse(s.strip()))));
        config.clusterCidrs().forEach(s -> reserved.add(AddressBlock.of(Cidr.parse(s.strip()))));
        LoadBalancerStep lbStep = new LoadBalancerStep(c, loadBalancers, () -> {
            PoolController current = pools;
            if (current != null) {
                current.refreshStatus();
            }
        });
        ServiceController svc = new ServiceController(c, authority, Duration.ofSeconds(config.repairGraceSeconds()),
                events, clock, lbStep, serviceLoop);
        services = svc;
        PoolController p = new PoolController(c, loadBalancers, reserved, poolNodeLoop, clock,
                svc::requeueLoadBalancers);
        pools = p;
        p.start();
        svc.start();
        NodeController n = new NodeController(c, authority, podPools, events, poolNodeLoop);
        nodes = n;
        n.start();
        serviceLoop.resume();
        poolNodeLoop.resume();
    }

    private void stopLeading() {
        LOG.info("no longer leading: stopping the controllers");
        serviceLoop.pause();
        poolNodeLoop.pause();
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
        if (gate != null) {
            gate.close();
        }
        if (serviceLoop != null) {
            serviceLoop.close();
            poolNodeLoop.close();
        }
        closeControllers();
        if (serviceCidrs != null) {
            serviceCidrs.close();
        }
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
