package io.netplane.proxy.bench;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.net.IpAddress;
import io.netplane.proxy.fixtures.ServiceBuilder;
import io.netplane.proxy.fixtures.SliceBuilder;
import java.time.Instant;

/** The benches' Services and slices, the same shapes kube-proxy's peer (bench/kube-proxy-peer.sh) is given. */
final class BenchObjects {
    private BenchObjects() {
    }

    /** Service i (key bench/svc-i): ClusterIP 10.96.0.0 + i + 1, port 80 to 8080. */
    static ServiceView service(int i) {
        return ServiceBuilder.service("bench", "svc-" + i, IpAddress.parse("10.96.0.0").plus(i + 1).toString())
                .port("http", "TCP", 80, 8080).build();
    }

    /** Service i's slice (key bench/svc-i-a): endpoints 10.128.0.0 + i * (M + 1) + e + shift, on another node. */
    static EndpointSliceView slice(int i, int shift, int endpoints) {
        SliceBuilder b = SliceBuilder.slice("bench", "svc-" + i + "-a", "svc-" + i).port("http", "TCP", 8080);
        for (int e = 0; e < endpoints; e++) {
            b.ready(IpAddress.parse("10.128.0.0").plus((long) i * (endpoints + 1) + e + shift).toString(),
                    "other-node");
        }
        b.observedAt = Instant.now();
        return b.build();
    }
}
