package io.netplane.dns.bench;

import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.Topics;
import io.netplane.dns.records.PodMode;
import io.netplane.dns.records.Views;
import io.netplane.dns.records.ZonePlanner;
import io.netplane.dns.records.ZoneRecords;
import io.netplane.dns.records.ZoneSettings;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * For bench/dns-service.sh: starts a real Kafka broker on a free loopback port (written to {@code dir/bootstrap}),
 * waits for {@code dir/go}, publishes {@code services} ClusterIP Services (each with a named port) and as many
 * Pods, then writes {@code dir/zone.db} — the same cluster.local names as an RFC 1035 master file, built with the
 * server's own planner so the peer serves exactly what this server serves — and {@code dir/queries.txt} for
 * dnsperf, and {@code dir/published}. Runs until killed.
 */
public final class BenchFeed {
    private BenchFeed() {
    }

    public static void main(String[] args) throws Exception {
        int services = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")), port);
        String bootstrap = "127.0.0.1:" + port;
        Files.writeString(dir.resolve("bootstrap"), bootstrap);
        while (!Files.exists(dir.resolve("go"))) {
            Thread.sleep(100);
        }
        List<ServiceView> svcs = new ArrayList<>();
        List<PodView> pods = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            String ns = "ns-" + (i % 20);
            svcs.add(Views.clusterIp(ns, "svc-" + i, List.of("10.96." + (i / 250) + "." + (i % 250 + 1)),
                    Views.port("http", "TCP", 80)));
            pods.add(Views.pod(ns, "pod-" + i, null, null, true, "10.244." + (i / 250) + "." + (i % 250 + 1)));
        }
        try (EventPublisher publisher = new EventPublisher(bootstrap, "/netplane/dns-bench", Clock.systemUTC())) {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            svcs.forEach(s -> sent.add(publisher.publish(Topics.SERVICES, s)));
            pods.forEach(p -> sent.add(publisher.publish(Topics.PODS, p)));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
        }
        writeZone(dir.resolve("zone.db"), svcs, pods);
        writeQueries(dir.resolve("queries.txt"), services);
        Files.writeString(dir.resolve("published"), String.valueOf(services));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        Thread.currentThread().join();
    }

    private static void writeZone(Path file, List<ServiceView> svcs, List<PodView> pods) throws IOException {
        ZoneSettings settings = new ZoneSettings(Name.fromConstantString("cluster.local."), 5, 5, PodMode.VERIFIED,
                List.of(InetAddress.getLoopbackAddress()), 1);
        ZoneRecords zone = ZonePlanner.plan(settings, svcs, List.of(), pods);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("$ORIGIN cluster.local.");
            out.println(ZonePlanner.soa(settings)); // SOA first, as master files require
            for (Record r : zone.allRecords()) {
                if (r.getType() != Type.SOA && !(r instanceof PTRRecord)) {
                    out.println(r);
                }
            }
            for (PodView p : pods) { // this server synthesises Pod names in verified mode; the peer needs them written
                String ip = p.podIPs().get(0);
                out.println(ip.replace('.', '-') + "." + p.namespace() + ".pod.cluster.local.\t5\tIN\tA\t" + ip);
            }
        }
    }

    private static void writeQueries(Path file, int services) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            for (int i = 0; i < services; i++) {
                String ns = "ns-" + (i % 20);
                int j = (i * 7919) % services;
                String nsj = "ns-" + (j % 20);
                out.println("svc-" + i + "." + ns + ".svc.cluster.local A");
                out.println("svc-" + j + "." + nsj + ".svc.cluster.local A");
                out.println("svc-" + j + "." + nsj + ".svc.cluster.local A");
                out.println("svc-" + i + "." + ns + ".svc.cluster.local AAAA"); // NODATA
                out.println("_http._tcp.svc-" + i + "." + ns + ".svc.cluster.local SRV");
                out.println("10-244-" + (i / 250) + "-" + (i % 250 + 1) + "." + ns + ".pod.cluster.local A");
                out.println("missing-" + i + "." + ns + ".svc.cluster.local A"); // NXDOMAIN
            }
        }
    }
}
