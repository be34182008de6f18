package io.netplane.ipam.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Review answers are remembered for the TTL, keyed by the token's hash; an unavailable API server is not. */
class CachingReviewsTest {
    static final Identity ALICE = new Identity("alice", "u1", List.of("system:authenticated"), Map.of());

    static final class SteppingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Counts the calls that would reach the API server; "down" is unreachable while {@code down} is set. */
    static final class CountingReviews implements Reviews {
        final List<String> calls = new ArrayList<>();
        boolean down;

        @Override
        public TokenStatus authenticate(String token, List<String> audiences) throws ReviewUnavailable {
            calls.add("TokenReview");
            if (down) {
                throw new ReviewUnavailable("unreachable", null);
            }
            return token.startsWith("good") ? TokenStatus.of(ALICE, List.of()) : TokenStatus.rejected("invalid");
        }

        @Override
        public AccessStatus authorize(Identity user, Permission p) throws ReviewUnavailable {
            calls.add("SubjectAccessReview " + p.verb() + " " + p.name());
            if (down) {
                throw new ReviewUnavailable("unreachable", null);
            }
            return "service-IPv4".equals(p.name()) ? AccessStatus.allow() : AccessStatus.deny("");
        }
    }

    final SteppingClock clock = new SteppingClock();
    final CountingReviews api = new CountingReviews();
    final CachingReviews cached = new CachingReviews(api, clock, Duration.ofSeconds(10), 100);

    @Test
    void aBusyClientCostsTwoCallsPerTtl() throws Exception {
        AccessDecider decider = AccessDecider.reviewedBy(cached, List.of());
        for (int i = 0; i < 50; i++) {
            assertThat(decider.decide("Bearer good-1", Permission.create("service-IPv4")).allowed()).isTrue();
            clock.advance(Duration.ofMillis(100));
        }
        assertThat(api.calls).containsExactly("TokenReview", "SubjectAccessReview create service-IPv4");
        clock.advance(Duration.ofSeconds(6)); // 11 s after the first answers
        assertThat(decider.decide("Bearer good-1", Permission.create("service-IPv4")).allowed()).isTrue();
        assertThat(api.calls).hasSize(4);
    }

    @Test
    void refusalsAreRememberedToo() throws Exception {
        assertThat(cached.authenticate("bad", List.of()).authenticated()).isFalse();
        assertThat(cached.authenticate("bad", List.of()).error()).isEqualTo("invalid");
        assertThat(cached.authorize(ALICE, Permission.create("node-ports")).allowed()).isFalse();
        assertThat(cached.authorize(ALICE, Permission.create("node-ports")).allowed()).isFalse();
        assertThat(api.calls).containsExactly("TokenReview", "SubjectAccessReview create node-ports");
    }

    @Test
    void eachTokenPermissionAndAudienceIsItsOwnEntry() throws Exception {
        cached.authenticate("good-1", List.of());
        cached.authenticate("good-2", List.of());
        cached.authenticate("good-1", List.of("ipam-service"));
        cached.authorize(ALICE, Permission.create("service-IPv4"));
        cached.authorize(ALICE, Permission.create("node-ports"));
        cached.authorize(ALICE, Permission.delete());
        assertThat(api.calls).hasSize(6);
    }

    @Test
    void anUnavailableApiServerIsAskedAgainNextTime() throws Exception {
        api.down = true;
        assertThatThrownBy(() -> cached.authenticate("good-1", List.of())).isInstanceOf(ReviewUnavailable.class);
        assertThatThrownBy(() -> cached.authorize(ALICE, Permission.delete())).isInstanceOf(ReviewUnavailable.class);
        api.down = false;
        assertThat(cached.authenticate("good-1", List.of()).authenticated()).isTrue();
        assertThat(cached.authorize(ALICE, Permission.create("service-IPv4")).allowed()).isTrue();
        assertThat(api.calls).hasSize(4);
    }

    @Test
    void tokensAreKeyedByTheirSha256() {
        assertThat(CachingReviews.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
