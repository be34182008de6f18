package io.netplane.policy.records;

import java.util.List;

/**
 * What one publish sends, in waves: every record of a wave is acknowledged before the next wave is sent, since
 * records under different keys may land on different partitions and Kafka orders only within one. {@code problems}
 * names the sets that could not be laid out (left out of the waves).
 */
public record Publication(List<List<Outgoing>> waves, List<String> problems) {

    public Publication {
        waves = waves.stream().filter(w -> !w.isEmpty()).map(List::copyOf).toList();
        problems = List.copyOf(problems);
    }

    public int recordCount() {
        return waves.stream().mapToInt(List::size).sum();
    }
}
