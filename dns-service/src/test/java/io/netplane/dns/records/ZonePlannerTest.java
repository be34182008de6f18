package io.netplane.dns.records;

import static io.netplane.dns.records.Views.clusterIp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class ZonePlannerTest {

    @Test
    void badObjectsAreReportedWithTheirKeyAndSkipped() throws Exception {
        ZoneRecords zone = ZonePlanner.plan(ZoneTable.settings(PodMode.DISABLED), List.of(
                clusterIp("default", "ok", List.of("10.96.0.5")),
                clusterIp("default", "Not_A_Label", List.of("10.96.0.6")),
                clusterIp("default", "badip", List.of("10.96.0.256")),
                Views.externalName("default", "noname", null)), List.of(), List.of());
        assertThat(zone.rejected()).hasSize(3);
        assertThat(zone.rejected()).anyMatch(r -> r.startsWith("default/Not_A_Label: "))
                .anyMatch(r -> r.startsWith("default/badip: ")).anyMatch(r -> r.startsWith("default/noname: "));
        Answer ok = ZoneAnswerer.answer(zone, Name.fromString("ok.default.svc.cluster.local."), Type.A);
        assertThat(ok.answer()).hasSize(1);
    }

    @Test
    void aConfiguredZoneIsServedInsteadOfClusterLocal() throws Exception {
        ZoneSettings corp = new ZoneSettings(Name.fromString("k8s.corp."), 30, 10, PodMode.DISABLED, List.of(), 7);
        ZoneRecords zone = ZonePlanner.plan(corp, List.of(clusterIp("default", "web", List.of("10.96.0.5"))),
                List.of(), List.of());
        Answer a = ZoneAnswerer.answer(zone, Name.fromString("web.default.svc.k8s.corp."), Type.A);
        assertThat(Rendered.all(a.answer())).containsExactly("web.default.svc.k8s.corp. 30 A 10.96.0.5");
        Answer nx = ZoneAnswerer.answer(zone, Name.fromString("nope.default.svc.k8s.corp."), Type.A);
        assertThat(nx.rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(Rendered.all(nx.authority())).containsExactly(
                "k8s.corp. 10 SOA ns.dns.k8s.corp. hostmaster.k8s.corp. 7 7200 1800 86400 10");
        assertThat(ZoneAnswerer.answer(zone, Name.fromString("web.default.svc.cluster.local."), Type.A).isOutside())
                .isTrue();
    }

    @Test
    void nameserverAddressesAnswerTheNsTarget() throws Exception {
        ZoneSettings s = new ZoneSettings(Name.fromString("cluster.local."), 5, 5, PodMode.DISABLED,
                List.of(java.net.InetAddress.getByName("10.96.0.10")), 1);
        ZoneRecords zone = ZonePlanner.plan(s, List.of(), List.of(), List.of());
        Answer ns = ZoneAnswerer.answer(zone, Name.fromString("cluster.local."), Type.NS);
        assertThat(Rendered.all(ns.additional())).containsExactly("ns.dns.cluster.local. 5 A 10.96.0.10");
    }

    @Test
    void cnameLoopInsideTheZoneIsServfailNotAHang() throws Exception {
        ZoneRecords zone = ZonePlanner.plan(ZoneTable.settings(PodMode.DISABLED), List.of(
                Views.externalName("default", "a", "b.default.svc.cluster.local"),
                Views.externalName("default", "b", "a.default.svc.cluster.local")), List.of(), List.of());
        Answer a = ZoneAnswerer.answer(zone, Name.fromString("a.default.svc.cluster.local."), Type.A);
        assertThat(Rcode.string(a.rcode())).isEqualTo("SERVFAIL");
    }

    @Test
    void podAddressLabels() {
        assertThat(ZoneAnswerer.podAddress("10-1-2-3")).hasToString("10.1.2.3");
        assertThat(ZoneAnswerer.podAddress("fd00--1")).hasToString("fd00::1");
        assertThat(ZoneAnswerer.podAddress("010-1-2-3")).isNull();
        assertThat(ZoneAnswerer.podAddress("web")).isNull();
    }
}
