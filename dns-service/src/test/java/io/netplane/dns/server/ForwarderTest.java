package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.forward.ResponseCache;
import io.netplane.dns.forward.UpstreamSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The forwarder against a real UDP upstream on loopback, with a clock of its own. */
class ForwarderTest {
    static final long S = 1_000_000_000L;

    FakeUpstream upstream;
    final AtomicLong now = new AtomicLong();
    Forwarder forwarder;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream().with("www.example.com.", Type.A, ForwardingIT.a("www.example.com.", 60, "192.0.2.1"));
        forwarder = new Forwarder(UpstreamSelector.of(Map.of(), List.of(upstream.address())), new ResponseCache(100, 3600),
                Duration.ofSeconds(2), now::get);
    }

    @AfterEach
    void stop() {
        forwarder.close();
        upstream.close();
    }

    static Record question(String name) throws Exception {
        return Record.newRecord(Name.fromString(name), Type.A, DClass.IN);
    }

    Forwarder.Result resolve(String name) throws Exception {
        return forwarder.resolve(question(name)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void askersOfAQuestionOnItsWayShareOneUpstreamQuery() throws Exception {
        upstream.delay(200);
        List<CompletableFuture<Forwarder.Result>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(forwarder.resolve(question("www.example.com.")).toCompletableFuture());
        }
        for (CompletableFuture<Forwarder.Result> f : all) {
            Forwarder.Result r = f.get(5, TimeUnit.SECONDS);
            assertThat(r.outcome()).isEqualTo(Forwarder.Outcome.FORWARDED);
            assertThat(r.response().getSection(Section.ANSWER)).extracting(Record::rdataToString)
                    .containsExactly("192.0.2.1");
        }
        assertThat(upstream.queries()).isEqualTo(1);
        assertThat(resolve("www.example.com.").outcome()).isEqualTo(Forwarder.Outcome.CACHE_HIT);
    }

    @Test
    void anAnswerAskedForNearItsExpiryIsRefreshedInTheBackground() throws Exception {
        assertThat(resolve("www.example.com.").outcome()).isEqualTo(Forwarder.Outcome.FORWARDED);
        now.set(50 * S);
        assertThat(resolve("www.example.com.").outcome()).isEqualTo(Forwarder.Outcome.CACHE_HIT);
        assertThat(upstream.queries()).isEqualTo(1);
        now.set(55 * S);
        Forwarder.Result near = resolve("www.example.com.");
        assertThat(near.outcome()).as("the cached copy, at once").isEqualTo(Forwarder.Outcome.CACHE_HIT);
        assertThat(near.response().getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.queries() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> resolve("www.example.com.").response()
                .getSection(Section.ANSWER).get(0).getTTL() == 60);
        now.set(100 * S);
        Forwarder.Result later = resolve("www.example.com.");
        assertThat(later.outcome()).as("past the first answer's expiry").isEqualTo(Forwarder.Outcome.CACHE_HIT);
        assertThat(upstream.queries()).isEqualTo(2);
    }

    @Test
    void upstreamNxdomainIsAnAnswerAndAnUnansweredQueryFails() throws Exception {
        assertThat(resolve("nosuch.example.com.").response().getRcode()).isEqualTo(Rcode.NXDOMAIN);
        upstream.delay(3000);
        assertThat(resolve("other.example.com.").outcome()).isEqualTo(Forwarder.Outcome.FAILED);
    }
}
