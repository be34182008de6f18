package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void burstIsTwiceTheRateThenTheRateRefills() throws Exception {
        ClientRateLimiter limiter = new ClientRateLimiter(10);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += limiter.admit(a, 0) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(20);
        int later = 0;
        for (int i = 0; i < 100; i++) {
            later += limiter.admit(a, SECOND) ? 1 : 0;
        }
        assertThat(later).isEqualTo(10);
    }

    @Test
    void clientsHaveSeparateBuckets() throws Exception {
        ClientRateLimiter limiter = new ClientRateLimiter(1);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        for (int i = 0; i < 10; i++) {
            limiter.admit(a, 0);
        }
        assertThat(limiter.admit(a, 0)).isFalse();
        assertThat(limiter.admit(b, 0)).isTrue();
    }

    @Test
    void zeroMeansUnlimited() throws Exception {
        ClientRateLimiter limiter = new ClientRateLimiter(0);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.admit(a, 0)).isTrue();
        }
    }
}
