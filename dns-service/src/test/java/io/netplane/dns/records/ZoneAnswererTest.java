package io.netplane.dns.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

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
        assertThat(AnswerOrder.problem(Name.fromString(row.qname()), a.answer())).as("CNAME before its target")
                .isNull();
        assertThat(Rendered.all(a.authority())).containsExactlyInAnyOrderElementsOf(row.authority());
        assertThat(Rendered.all(a.additional())).containsExactlyInAnyOrderElementsOf(row.additional());
    }

    @Test
    void theOrderCheckSeesATargetBeforeItsCname() throws Exception {
        Name alias = Name.fromString("alias.default.svc.cluster.local.");
        Answer a = ZoneAnswerer.answer(ZoneTable.zone(PodMode.DISABLED), alias, Type.A);
        assertThat(a.answer()).hasSize(2);
        assertThat(AnswerOrder.problem(alias, a.answer())).isNull();
        List<org.xbill.DNS.Record> reversed = new ArrayList<>(a.answer());
        Collections.reverse(reversed);
        assertThat(AnswerOrder.problem(alias, reversed)).contains("no earlier CNAME points to");
    }
}
