package io.netplane.endpoints.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteTrackerTest {
    static EndpointSlice slice(String name, String version) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .withResourceVersion(version).endMetadata().withAddressType("IPv4").build();
    }

    @Test
    void aWriteKeepsTheServiceStaleUntilTheCacheHasIt() {
        WriteTracker t = new WriteTracker();
        t.written("ns/web", slice("web-1", "7"));
        assertThat(t.isStale("ns/web", List.of())).isTrue();
        assertThat(t.isStale("ns/web", List.of(slice("web-1", "6")))).isTrue();
        assertThat(t.isStale("ns/web", List.of(slice("web-1", "7")))).isFalse();
    }

    @Test
    void aSliceDeletedByAnotherWriterBeforeTheCacheSawOurWriteNoLongerBlocksTheService() {
        WriteTracker t = new WriteTracker();
        t.written("ns/web", slice("web-1", "7"));
        t.observedDeletion("ns/web", "web-1");
        assertThat(t.isStale("ns/web", List.of())).as("reconciled, so the slice is recreated").isFalse();
    }

    @Test
    void ourOwnDeleteIsMetWhenTheSliceLeavesTheCache() {
        WriteTracker t = new WriteTracker();
        t.deleted("ns/web", "web-1");
        assertThat(t.isStale("ns/web", List.of(slice("web-1", "7")))).isTrue();
        assertThat(t.isStale("ns/web", List.of())).isFalse();
    }
}
