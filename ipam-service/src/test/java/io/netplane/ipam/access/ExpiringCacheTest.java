package io.netplane.ipam.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Expiry at the TTL, the size bound (least recently used out first), and a zero TTL or size keeping nothing. */
class ExpiringCacheTest {
    final CachingReviewsTest.SteppingClock clock = new CachingReviewsTest.SteppingClock();

    @Test
    void anEntryExpiresAtItsTtl() {
        ExpiringCache<String, Integer> cache = new ExpiringCache<>(clock, Duration.ofSeconds(10), 10);
        cache.put("a", 1);
        clock.advance(Duration.ofMillis(9_999));
        assertThat(cache.get("a")).contains(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("a")).isEmpty();
        assertThat(cache.size()).as("dropped when found expired").isZero();
    }

    @Test
    void theLeastRecentlyUsedGoesWhenFull() {
        ExpiringCache<String, Integer> cache = new ExpiringCache<>(clock, Duration.ofSeconds(10), 2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get("a");
        cache.put("c", 3);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("a")).contains(1);
        assertThat(cache.get("c")).contains(3);
    }

    @Test
    void zeroTtlOrSizeKeepsNothing() {
        ExpiringCache<String, Integer> noTtl = new ExpiringCache<>(clock, Duration.ZERO, 10);
        ExpiringCache<String, Integer> noRoom = new ExpiringCache<>(clock, Duration.ofSeconds(10), 0);
        noTtl.put("a", 1);
        noRoom.put("a", 1);
        assertThat(noTtl.get("a")).isEmpty();
        assertThat(noRoom.get("a")).isEmpty();
        assertThatThrownBy(() -> new ExpiringCache<>(clock, Duration.ofSeconds(-1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
