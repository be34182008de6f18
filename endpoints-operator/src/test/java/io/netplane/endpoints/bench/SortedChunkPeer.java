package io.netplane.endpoints.bench;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.EventJson;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.endpoints.slicing.PodEndpoints;
import io.netplane.endpoints.slicing.SliceService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The peer the benchmark compares against: the obvious packer that sorts endpoints by Pod name, cuts them into
 * fixed-size chunks and rewrites (and republishes) every chunk whose content changed. One insertion shifts every
 * later chunk. Bytes are those of the EndpointSliceView it would publish, serialised the same way.
 */
final class SortedChunkPeer {
    record Result(int writes, long bytes) {
    }

    private final int max;
    private final SliceService service;
    private final Map<String, NodeView> nodes;
    private List<List<EndpointView>> chunks = List.of();

    SortedChunkPeer(int max, SliceService service, Map<String, NodeView> nodes) {
        this.max = max;
        this.service = service;
        this.nodes = nodes;
    }

    Result sync(Collection<PodView> pods) {
        List<EndpointView> sorted = pods.stream().sorted(Comparator.comparing(PodView::name))
                .map(p -> PodEndpoints.of(p, nodes.get(p.nodeName()), service, "IPv4")).toList();
        List<List<EndpointView>> next = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += max) {
            next.add(sorted.subList(i, Math.min(sorted.size(), i + max)));
        }
        int writes = 0;
        long bytes = 0;
        for (int i = 0; i < Math.max(next.size(), chunks.size()); i++) {
            List<EndpointView> before = i < chunks.size() ? chunks.get(i) : null;
            List<EndpointView> after = i < next.size() ? next.get(i) : null;
            if (after == null) {
                writes++;
            } else if (!after.equals(before)) {
                writes++;
                bytes += EventJson.write(new EndpointSliceView(service.namespace(), service.name() + "-" + i, "1",
                        Instant.now(), service.name(), "IPv4", "peer", List.of(), after)).length;
            }
        }
        chunks = next;
        return new Result(writes, bytes);
    }
}
