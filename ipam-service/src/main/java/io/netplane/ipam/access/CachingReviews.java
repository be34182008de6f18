package io.netplane.ipam.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Remembers review answers briefly, so a busy client does not cost two API calls per request: both answers
 * (authenticated or not, allowed or not) for {@code ttl}, tokens keyed by their SHA-256 only (a token is never kept).
 * An unavailable API server is not remembered: the next request asks again. A revoked token or grant therefore
 * still works for up to {@code ttl}, as with kube-rbac-proxy's and the API server's webhook caches. Two concurrent
 * first requests of one client may both ask.
 */
public final class CachingReviews implements Reviews {
    private record TokenKey(String sha256, List<String> audiences) {
    }

    private record AccessKey(Identity user, Permission permission) {
    }

    private final Reviews delegate;
    private final ExpiringCache<TokenKey, TokenStatus> tokens;
    private final ExpiringCache<AccessKey, AccessStatus> access;

    public CachingReviews(Reviews delegate, Clock clock, Duration ttl, int maxEntries) {
        this.delegate = delegate;
        this.tokens = new ExpiringCache<>(clock, ttl, maxEntries);
        this.access = new ExpiringCache<>(clock, ttl, maxEntries);
    }

    @Override
    public TokenStatus authenticate(String token, List<String> audiences) throws ReviewUnavailable {
        TokenKey key = new TokenKey(sha256(token), List.copyOf(audiences));
        var cached = tokens.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        TokenStatus answer = delegate.authenticate(token, audiences);
        tokens.put(key, answer);
        return answer;
    }

    @Override
    public AccessStatus authorize(Identity user, Permission permission) throws ReviewUnavailable {
        AccessKey key = new AccessKey(user, permission);
        var cached = access.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        AccessStatus answer = delegate.authorize(user, permission);
        access.put(key, answer);
        return answer;
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
