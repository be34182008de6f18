package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.dns.records.PodMode;
import io.netplane.dns.records.ZoneTable;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * kube-dns's ConfigMap followed from a directory laid out as the kubelet lays out a ConfigMap volume (key symlinks
 * through {@code ..data}, swapped atomically), with real listeners and real upstream servers on loopback: the steps of
 * upstream's "DNS configMap nameserver Change stubDomain" test.
 */
class ForwardingConfigDirIT {
    FakeUpstream node;
    FakeUpstream acme;
    WireHarness wire;
    Path dir;
    ForwardingConfigDir follower;
    int generation;

    @BeforeEach
    void start() throws Exception {
        node = new FakeUpstream();
        acme = new FakeUpstream()
                .with("abc.acme.local.", Type.A, a("abc.acme.local.", "1.1.1.1"))
                .with("def.acme.local.", Type.A, a("def.acme.local.", "2.2.2.2"))
                .with("widget.local.", Type.A, a("widget.local.", "3.3.3.3"));
        wire = new WireHarness(ZoneTable.zone(PodMode.DISABLED), Map.of(), List.of(node.address()),
                List.of("127.0.0.0/8"), 0);
        dir = Files.createTempDirectory("kube-dns-config");
        follower = new ForwardingConfigDir(dir, wire.forwarder, Map.of(), List.of(node.address()));
    }

    @AfterEach
    void stop() throws Exception {
        wire.close();
        node.close();
        acme.close();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static ARecord a(String name, String ip) throws Exception {
        return new ARecord(Name.fromString(name), DClass.IN, 3600, InetAddress.getByName(ip));
    }

    List<String> answer(String name) throws Exception {
        Message r = wire.query(name, Type.A, false);
        return r.getRcode() == Rcode.NOERROR
                ? r.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList()
                : List.of(Rcode.string(r.getRcode()));
    }

    /** What the kubelet does on a ConfigMap update: a new data directory, then {@code ..data} switched to it. */
    void publish(Map<String, String> data) throws Exception {
        Path gen = Files.createDirectory(dir.resolve("..gen" + (++generation)));
        for (var e : data.entrySet()) {
            Files.writeString(gen.resolve(e.getKey()), e.getValue());
        }
        Path link = dir.resolve("..data_tmp");
        Files.createSymbolicLink(link, gen.getFileName());
        Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String key : data.keySet()) {
            if (!Files.exists(dir.resolve(key), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
            }
        }
    }

    /** An optional ConfigMap deleted: the kubelet empties the volume. */
    void remove() throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aStubDomainAndUpstreamsComeAndGoWithTheConfigMap() throws Exception {
        follower.poll();
        assertThat(answer("abc.acme.local.")).as("no ConfigMap: the node's resolver").containsExactly("NXDOMAIN");

        publish(Map.of("stubDomains", "{\"acme.local\":[\"" + acme.address() + "\"]}",
                "upstreamNameservers", "[\"" + acme.address() + "\"]"));
        follower.poll();
        assertThat(answer("abc.acme.local.")).containsExactly("1.1.1.1");
        assertThat(answer("widget.local.")).as("through upstreamNameservers").containsExactly("3.3.3.3");

        publish(Map.of("stubDomains", "{\"acme.local\": [\"" + acme.address() + "\"",
                "upstreamNameservers", "[\"" + acme.address() + "\"]"));
        follower.poll();
        assertThat(follower.rejected()).isEqualTo(1);
        assertThat(answer("def.acme.local.")).as("a ConfigMap that does not parse changes nothing")
                .containsExactly("2.2.2.2");

        remove();
        follower.poll();
        assertThat(answer("abc.acme.local.")).as("ConfigMap deleted: the answer cached for an hour is gone too")
                .containsExactly("NXDOMAIN");
        assertThat(answer("widget.local.")).containsExactly("NXDOMAIN");
        assertThat(follower.rejected()).isEqualTo(1);
    }
}
