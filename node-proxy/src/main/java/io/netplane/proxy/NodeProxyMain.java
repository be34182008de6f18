package io.netplane.proxy;

import io.netplane.proxy.config.ProxyConfig;
import io.netplane.proxy.sync.Dataplane;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * Entry point. {@code --cleanup} (or {@code netplane.proxy.cleanup=true}) removes the proxy's nftables tables
 * and exits without reading Kafka; otherwise the proxy runs until stopped.
 */
@QuarkusMain
public class NodeProxyMain implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(NodeProxyMain.class);

    public static void main(String... args) {
        if (Arrays.asList(args).contains("--cleanup")) {
            System.setProperty("netplane.proxy.cleanup", "true");
        }
        Quarkus.run(NodeProxyMain.class, args);
    }

    @Override
    public int run(String... args) throws Exception {
        if (Arc.container().instance(ProxyConfig.class).get().cleanup()) {
            Arc.container().instance(Dataplane.class).get().remove();
            LOG.info("removed the node-proxy tables");
            return 0;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
