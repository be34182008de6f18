package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponsesTest {

    @ParameterizedTest(name = "client EDNS {0} → limit {1}")
    @CsvSource({"-1,512", "512,512", "100,512", "1232,1232", "4096,1232"})
    void udpLimit(int clientPayload, int limit) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("a.example."), Type.A, DClass.IN));
        if (clientPayload >= 0) {
            q.addRecord(new OPTRecord(clientPayload, 0, 0), Section.ADDITIONAL);
        }
        assertThat(Responses.udpLimit(q, 1232)).isEqualTo(limit);
    }

    @Test
    void oversizedResponseKeepsOnlyTheQuestionAndSetsTc() throws Exception {
        Name name = Name.fromString("big.example.");
        Message r = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        r.getHeader().setFlag(Flags.QR);
        for (int i = 0; i < 60; i++) {
            r.addRecord(new ARecord(name, DClass.IN, 5, InetAddress.getByName("10.0.0." + i)), Section.ANSWER);
        }
        byte[] wire = Responses.encode(r, 512);
        Message t = new Message(wire);
        assertThat(wire.length).isLessThanOrEqualTo(512);
        assertThat(t.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(t.getQuestion().getName()).isEqualTo(name);
        assertThat(t.getSection(Section.ANSWER)).isEmpty();
        assertThat(new Message(Responses.encode(r, 65535)).getSection(Section.ANSWER)).hasSize(60);
    }
}
