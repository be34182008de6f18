package io.netplane.runtime.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueingHandlerTest {
    private static ConfigMap cm(String name, String label) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .addToLabels("app", label).endMetadata().build();
    }

    @Test
    void queuesTheMappedKeysOfTheNewObjectOnUpdateAndKeepsWhatADeleteNeedsFirst() {
        List<Collection<String>> queued = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        QueueingHandler<ConfigMap> h = QueueingHandler.<ConfigMap>mapped(
                c -> List.of("svc/" + c.getMetadata().getLabels().get("app")), queued::add)
                .onDelete(c -> kept.add(c.getMetadata().getName() + " at " + queued.size()));
        h.onAdd(cm("a", "web"));
        h.onUpdate(cm("a", "web"), cm("a", "db"));
        h.onDelete(cm("a", "db"), false);
        assertThat(queued).containsExactly(List.of("svc/web"), List.of("svc/db"), List.of("svc/db"));
        assertThat(kept).containsExactly("a at 2");
    }

    @Test
    void ownKeyQueuesNamespaceAndName() throws Exception {
        List<String> seen = new ArrayList<>();
        ControlLoop loop = ControlLoop.builder("t", k -> {
            seen.add(k);
            return ControlLoop.Result.DONE;
        }).startPaused().build();
        try {
            QueueingHandler.<ConfigMap>ownKey(loop).onAdd(cm("a", "web"));
            assertThat(loop.depth()).isEqualTo(1);
            loop.start();
            loop.resume();
            org.awaitility.Awaitility.await().until(() -> seen.equals(List.of("ns/a")));
        } finally {
            loop.close();
        }
    }
}
