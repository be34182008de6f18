package io.netplane.endpoints.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.PodView;
import io.netplane.endpoints.slicing.SlicePod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slice controller's Pods by namespace and by Node. */
class PodIndexTest {
    private static SlicePod pod(String ns, String name, String node) {
        return new SlicePod(new PodView(ns, name, "u-" + name, "1", null, node, "Running", List.of("10.0.0.1"), false,
                null, null, true, false, Map.of(), List.of()), null);
    }

    private static List<String> names(java.util.Collection<SlicePod> pods) {
        return pods.stream().map(SlicePod::key).sorted().toList();
    }

    @Test
    void keepsPodsByNamespaceAndNode() {
        PodIndex index = new PodIndex();
        index.put(pod("shop", "web-0", "node-a"));
        index.put(pod("shop", "web-1", null));
        index.put(pod("other", "web-0", "node-a"));
        assertThat(names(index.inNamespace("shop"))).containsExactly("shop/web-0", "shop/web-1");
        assertThat(names(index.onNode("node-a"))).containsExactly("other/web-0", "shop/web-0");
        assertThat(index.inNamespace("empty")).isEmpty();
    }

    @Test
    void aPodScheduledOrMovedIsOnItsNewNodeOnly() {
        PodIndex index = new PodIndex();
        index.put(pod("shop", "web-1", null));
        assertThat(index.put(pod("shop", "web-1", "node-b"))).isEqualTo(pod("shop", "web-1", null));
        assertThat(names(index.onNode("node-b"))).containsExactly("shop/web-1");
        index.put(pod("shop", "web-1", "node-c"));
        assertThat(index.onNode("node-b")).isEmpty();
        assertThat(names(index.onNode("node-c"))).containsExactly("shop/web-1");
    }

    @Test
    void aDeletedPodIsInNoNamespaceOrNode() {
        PodIndex index = new PodIndex();
        index.put(pod("shop", "web-0", "node-a"));
        assertThat(index.remove("shop", "web-0")).isNotNull();
        assertThat(index.remove("shop", "web-0")).isNull();
        assertThat(index.inNamespace("shop")).isEmpty();
        assertThat(index.onNode("node-a")).isEmpty();
    }
}
