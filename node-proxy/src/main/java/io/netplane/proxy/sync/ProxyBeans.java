package io.netplane.proxy.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.api.net.IpFamily;
import io.netplane.proxy.config.ProxyConfig;
import io.netplane.proxy.server.HealthCheckServers;
import io.netplane.proxy.userspace.UserspaceDataplane;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/** Builds the data plane chosen by {@code netplane.proxy.mode} and the sync loop around it, from the config. */
@ApplicationScoped
public class ProxyBeans {

    @Produces
    @Singleton
    Dataplane dataplane(ProxyConfig c, Vertx vertx) {
        if (c.mode() == ProxyConfig.Mode.USERSPACE) {
            return new UserspaceDataplane(vertx, c.nodeName(), c.userspace().listenClusterIps(),
                    c.userspace().nodePortAddress(), c.userspace().connectTimeout(), c.userspace().udpIdleTimeout());
        }
        if (!c.cleanup()) {
            ConntrackSysctls.apply(c.conntrack(), c.netns());
        }
        return NftDataplane.withInterfaces(new NftDataplane.Settings(c.tableName(), c.clusterCidrs().orElse(List.of()),
                c.serviceCidrs().orElse(List.of()), c.nodeportAddresses().orElse(List.of()), c.masqueradeAll(),
                c.masqueradeBit(), c.tableShards()), new NftApplier(c.nftCommand(), c.netns()).withNetlink(c.netlinkHelper()),
                new ConntrackCleaner(c.netns()),
                c.netns());
    }

    @Produces
    @Singleton
    HealthCheckServers healthCheckServers(ProxyConfig c, Vertx vertx) {
        return new HealthCheckServers(vertx, c.healthCheckBindAddress());
    }

    @Produces
    @Singleton
    SyncLoop syncLoop(ProxyConfig c, Dataplane dataplane, HealthCheckServers hc, MeterRegistry registry) {
        List<IpFamily> families = c.ipFamilies().stream().map(IpFamily::parse).toList();
        SyncLoop loop = new SyncLoop(new SyncLoop.Settings(c.nodeName(), families, c.serviceProxyName().orElse(null),
                c.followNodeHints(), c.minSyncInterval(), c.retryInterval()), dataplane, Clock.systemUTC(), registry);
        loop.onSynced(programmed -> hc.sync(HealthCheckServers.targets(programmed)));
        return loop.start();
    }

    /** NetworkPolicy enforcement; null (unsatisfied Optional) in userspace mode or when disabled. */
    @Produces
    @Singleton
    java.util.Optional<PolicyLoop> policyLoop(ProxyConfig c, MeterRegistry registry) {
        if (c.mode() != ProxyConfig.Mode.NFTABLES || !c.policyEnforcement()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new PolicyLoop(c.nodeName(), new NftApplier(c.nftCommand(), c.netns()),
                c.minSyncInterval(), c.retryInterval(), registry).start());
    }

    void close(@Disposes java.util.Optional<PolicyLoop> loop) {
        loop.ifPresent(PolicyLoop::close);
    }

    void close(@Disposes SyncLoop loop) {
        loop.close();
    }

    void close(@Disposes HealthCheckServers hc) {
        hc.close();
    }
}
