package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.dns.records.AnswerOrder;
import io.netplane.dns.records.Rendered;
import io.netplane.dns.records.ZoneTable;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The whole {@link ZoneTable} asked over the real UDP and TCP listeners with dnsjava's resolver: what a Pod's
 * resolver sees. Names outside the zone get REFUSED here because no upstream is configured.
 */
class ZoneTableWireIT {
    static WireHarness wire;

    @BeforeAll
    static void start() throws Exception {
        wire = new WireHarness(null);
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
    }

    static Stream<Arguments> rows() {
        return ZoneTable.rows().stream().flatMap(r -> Stream.of(Arguments.of(r, "udp"), Arguments.of(r, "tcp")));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("rows")
    void answersOverTheWire(ZoneTable.Row row, String proto) throws Exception {
        wire.zone.set(ZoneTable.zone(row.pods()));
        Message r = wire.query(row.qname(), row.qtype(), proto.equals("tcp"));
        if (row.rcode() == ZoneTable.OUTSIDE) {
            assertThat(Rcode.string(r.getRcode())).isEqualTo("REFUSED");
            assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
            return;
        }
        assertThat(Rcode.string(r.getRcode())).isEqualTo(Rcode.string(row.rcode()));
        assertThat(r.getHeader().getFlag(Flags.AA)).as("authoritative").isTrue();
        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(Rendered.all(r.getSection(Section.ANSWER))).containsExactlyInAnyOrderElementsOf(row.answer());
        assertThat(AnswerOrder.problem(Name.fromString(row.qname()), r.getSection(Section.ANSWER)))
                .as("CNAME before its target").isNull();
        assertThat(Rendered.all(r.getSection(Section.AUTHORITY))).containsExactlyInAnyOrderElementsOf(row.authority());
        List<Record> additional = r.getSection(Section.ADDITIONAL).stream().filter(a -> !(a instanceof OPTRecord)).toList();
        assertThat(Rendered.all(additional)).containsExactlyInAnyOrderElementsOf(row.additional());
    }
}
