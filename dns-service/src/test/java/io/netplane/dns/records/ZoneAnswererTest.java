package io.netplane.dns.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/** The {@link ZoneTable} asked of the pure core: (zone content, question) → (rcode, answer, authority, additional). */
class ZoneAnswererTest {

    static List<ZoneTable.Row> rows() {
        return ZoneTable.rows();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answers(ZoneTable.Row row) throws Exception {
        Answer a = ZoneAnswerer.answer(ZoneTable.zone(row.pods()), Name.fromString(row.qname()), row.qtype());
        if (row.rcode() == ZoneTable.OUTSIDE) {
            assertThat(a.isOutside()).as("not the cluster's name").isTrue();
            return;
        }
        assertThat(a.isOutside()).isFalse();
        assertThat(Rcode.string(a.rcode())).isEqualTo(Rcode.string(row.rcode()));
        assertThat(Rendered.all(a.answer())).containsExactlyInAnyOrderElementsOf(row.answer());
        assertThat(Rendered.all(a.authority())).containsExactlyInAnyOrderElementsOf(row.authority());
        assertThat(Rendered.all(a.additional())).containsExactlyInAnyOrderElementsOf(row.additional());
    }
}
