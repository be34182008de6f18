package io.netplane.proxy.nft;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.NodeTopology;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Map slots with one owner, and shared hairpin elements that stay while any Service holds them. */
class AppliedTableTest {
    static final TableSpec SPEC = TableScriptTest.SPEC;
    static final Endpoint POD = Endpoint.ready("10.244.1.1", 8080, true);
    static final String HAIRPIN = "hairpin-ips { 10.244.1.1 . 10.244.1.1 }";

    static ServiceFragment svc(String name, String clusterIP, String externalIP, Endpoint... eps) {
        ServicePort sp = new ServicePort("ns", name, "http", "tcp", IpFamily.IPv4, clusterIP, 80, 0,
                externalIP == null ? List.of() : List.of(externalIP), List.of(), List.of(), false, 0, false, false, 0);
        return FragmentRenderer.render("ns/" + name, List.of(new PlannedPort(sp, List.of(eps))),
                new NodeTopology("node-a", null, true), FragmentRendererTest.SETTINGS);
    }

    static Map<String, ServiceFragment> gone(String key) {
        Map<String, ServiceFragment> m = new HashMap<>();
        m.put(key, null);
        return m;
    }

    @Test
    void twoServicesOfOnePodShareItsHairpinElementWithoutConflict() {
        AppliedTable table = new AppliedTable();
        AppliedTable.Staged full = table.stageFull(SPEC, Map.of("ns/a", svc("a", "10.96.0.1", null, POD),
                "ns/b", svc("b", "10.96.0.2", null, POD)));
        assertThat(full.conflicts()).isEmpty();
        assertThat(full.script()).containsOnlyOnce("10.244.1.1 . 10.244.1.1");
        table.commit(full);

        AppliedTable.Staged dropA = table.stage(SPEC, gone("ns/a"));
        assertThat(dropA.script()).as("b still needs it").doesNotContain(HAIRPIN).contains("delete chain");
        table.commit(dropA);

        AppliedTable.Staged dropB = table.stage(SPEC, gone("ns/b"));
        assertThat(dropB.script()).contains("delete element ip np " + HAIRPIN);
    }

    @Test
    void bothHoldersLeavingInOneBatchDeleteTheElementOnce() {
        AppliedTable table = new AppliedTable();
        table.commit(table.stageFull(SPEC, Map.of("ns/a", svc("a", "10.96.0.1", null, POD),
                "ns/b", svc("b", "10.96.0.2", null, POD))));
        Map<String, ServiceFragment> both = gone("ns/a");
        both.put("ns/b", null);
        assertThat(table.stage(SPEC, both).script()).containsOnlyOnce("10.244.1.1 . 10.244.1.1");
    }

    @Test
    void aClaimedMapSlotStaysWithItsFirstOwner() {
        AppliedTable table = new AppliedTable();
        table.commit(table.stageFull(SPEC, Map.of("ns/a", svc("a", "10.96.0.1", "192.168.60.1", POD))));
        AppliedTable.Staged b = table.stage(SPEC, Map.of("ns/b", svc("b", "10.96.0.2", "192.168.60.1", POD)));
        assertThat(b.conflicts()).singleElement().asString().contains("192.168.60.1 . tcp . 80", "ns/a");
        assertThat(b.script()).doesNotContain("192.168.60.1");
    }
}
