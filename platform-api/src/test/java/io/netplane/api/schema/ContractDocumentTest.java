package io.netplane.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EventJson;
import io.netplane.api.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed contract document must equal what the records generate. After an intended contract change,
 * regenerate it with {@code ./mvnw -pl platform-api test -Dnetplane.contract.update=true}.
 */
class ContractDocumentTest {
    static final Path DOCUMENT = Path.of("..", "docs", "events", "asyncapi.json");

    @Test
    void committedDocumentMatchesTheRecords() throws IOException {
        String generated = EventJson.pretty(ContractDocument.generate());
        if (Boolean.getBoolean("netplane.contract.update")) {
            Files.createDirectories(DOCUMENT.getParent());
            Files.writeString(DOCUMENT, generated);
        }
        assertThat(DOCUMENT).as("contract document; regenerate with -Dnetplane.contract.update=true").exists();
        assertThat(Files.readString(DOCUMENT)).as("docs/events/asyncapi.json is out of date with the event records; "
                + "regenerate with -Dnetplane.contract.update=true").isEqualTo(generated);
    }

    @Test
    @SuppressWarnings("unchecked")
    void documentsEveryTopicWithItsEventType() {
        Map<String, Object> doc = ContractDocument.generate();
        Map<String, Object> channels = (Map<String, Object>) doc.get("channels");
        assertThat(channels.keySet()).containsExactlyElementsOf(Topics.ALL.stream().map(t -> t.name()).toList());
        String json = EventJson.pretty(doc);
        Topics.ALL.forEach(t -> assertThat(json).contains("\"const\" : \"" + t.eventType() + "\""));
        assertThat(json).contains("\"ServiceView.ServicePortView\"", "\"RouteView.RuleView\"", "\"PolicyView.RuleView\"",
                "\"IpSetView.ShardView\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theIpSetsChannelTellsHowSetsAreSharded() {
        Map<String, Object> channels = (Map<String, Object>) ContractDocument.generate().get("channels");
        String ipsets = (String) ((Map<String, Object>) channels.get(Topics.IP_SETS.name())).get("description");
        assertThat(ipsets).contains("<set>#<index>-<count>-<digest>", "previous complete version");
        String services = (String) ((Map<String, Object>) channels.get(Topics.SERVICES.name())).get("description");
        assertThat(services).doesNotContain("shard");
    }
}
