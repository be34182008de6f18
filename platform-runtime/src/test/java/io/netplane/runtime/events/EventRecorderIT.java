package io.netplane.runtime.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.report.Problem;
import io.netplane.testing.kube.KubeApiServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events as {@code kubectl describe} finds them: in the object's namespace, naming it, once per problem. */
@ExtendWith(KubeApiServerExtension.class)
class EventRecorderIT {
    @Test
    void problemsAreRecordedOnTheirObjectOnceAndAgainOnceResolvedAndBack(KubernetesClient client) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("rec").endMetadata().build())
                .createOr(r -> r.update());
        HasMetadata cm = client.configMaps().inNamespace("rec").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("web").endMetadata().build()).create();
        EventRecorder recorder = new EventRecorder(client, "test-operator", "test-0", Clock.systemUTC());
        Subject subject = Subject.of(cm);
        Problem bad = Problem.warning("BadThing", "the thing is bad");
        Problem worse = Problem.warning("WorseThing", "the thing is worse");

        recorder.report(subject, List.of(bad, worse));
        recorder.report(subject, List.of(bad, worse));
        recorder.record(subject, bad);
        await().atMost(Duration.ofSeconds(10)).until(() -> events(client, "web").size() == 2);
        Event first = events(client, "web").stream().filter(e -> e.getReason().equals("BadThing")).findFirst()
                .orElseThrow();
        assertThat(first.getType()).isEqualTo("Warning");
        assertThat(first.getMessage()).isEqualTo("the thing is bad");
        assertThat(first.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
        assertThat(first.getInvolvedObject().getUid()).isEqualTo(cm.getMetadata().getUid());
        assertThat(first.getSource().getComponent()).isEqualTo("test-operator");
        assertThat(first.getReportingInstance()).isEqualTo("test-0");

        recorder.report(subject, List.of(worse)); // BadThing resolved
        recorder.report(subject, List.of(bad, worse)); // and back: told again, WorseThing is not
        await().atMost(Duration.ofSeconds(10)).until(() -> events(client, "web").size() == 3);
        Thread.sleep(500);
        assertThat(events(client, "web")).extracting(Event::getReason)
                .containsExactlyInAnyOrder("BadThing", "BadThing", "WorseThing");
    }

    @Test
    void aClusterScopedObjectsEventsGoToDefaultAndFailuresWarnFromTheNthAttempt(KubernetesClient client)
            throws Exception {
        EventRecorder recorder = new EventRecorder(client, "test-operator", null, Clock.systemUTC());
        Subject node = new Subject("v1", "Node", null, "node-a", "uid-a");
        var listener = recorder.warnAfter(3, "FailedToUpdateThing", key -> Optional.of(node));
        listener.failed("node-a", 1, new IllegalStateException("conflict"));
        listener.failed("node-a", 2, new IllegalStateException("conflict"));
        Thread.sleep(500);
        assertThat(events(client, "node-a")).isEmpty();
        listener.failed("node-a", 3, new IllegalStateException("conflict"));
        // the next attempts fail with other messages (a generated name in each): no new Warning
        listener.failed("node-a", 4, new IllegalStateException("conflict on node-a.x7k2"));
        listener.failed("node-a", 5, new IllegalStateException("conflict on node-a.p9q1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(client, "node-a").size() == 1);
        Thread.sleep(500);
        assertThat(events(client, "node-a")).hasSize(1);
        Event e = events(client, "node-a").get(0);
        assertThat(e.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(e.getReason()).isEqualTo("FailedToUpdateThing");
        assertThat(e.getMessage()).isEqualTo("reconciling Node node-a failed: conflict");

        // a reconcile that succeeds reports the object's problems without it: the next failure is told again
        recorder.report(node, List.of());
        listener.failed("node-a", 3, new IllegalStateException("quota exceeded"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(client, "node-a").size() == 2);
    }

    private static List<Event> events(KubernetesClient client, String name) {
        return client.v1().events().inAnyNamespace().withField("involvedObject.name", name).list().getItems();
    }
}
