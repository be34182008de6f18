package io.netplane.ingress.tls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jboss.logging.Logger;

/**
 * Turns loaded Secrets into key managers, one per Secret, each parsed on its own so one broken Secret is
 * logged (once per content) and skipped instead of taking every certificate down. Parsing is cached by content,
 * so a reload of unchanged Secrets costs nothing.
 */
public final class SniOptions {
    private static final Logger LOG = Logger.getLogger(SniOptions.class);

    private final Map<SecretRef, PemPair> reported = new ConcurrentHashMap<>();
    private final Map<SecretRef, Map.Entry<PemPair, X509ExtendedKeyManager>> parsed = new ConcurrentHashMap<>();

    /** The usable Secrets of {@code pairs} with their key managers, in order. */
    public Map<SecretRef, X509ExtendedKeyManager> keyManagers(Vertx vertx, List<PemPair> pairs) {
        Map<SecretRef, X509ExtendedKeyManager> out = new LinkedHashMap<>();
        for (PemPair pair : pairs) {
            var cached = parsed.get(pair.ref());
            if (cached != null && cached.getKey().sameContent(pair)) {
                out.put(pair.ref(), cached.getValue());
                continue;
            }
            try {
                X509ExtendedKeyManager manager = parse(vertx, pair);
                parsed.put(pair.ref(), Map.entry(pair, manager));
                reported.remove(pair.ref());
                out.put(pair.ref(), manager);
            } catch (Exception e) {
                if (!pair.sameContent(reported.put(pair.ref(), pair))) {
                    LOG.warnf("TLS Secret %s is not a usable certificate and key, skipped: %s", pair.ref(), e.getMessage());
                }
            }
        }
        parsed.keySet().retainAll(out.keySet());
        return out;
    }

    private static X509ExtendedKeyManager parse(Vertx vertx, PemPair pair) throws Exception {
        PemKeyCertOptions options = new PemKeyCertOptions()
                .addCertValue(Buffer.buffer(pair.certificate()))
                .addKeyValue(Buffer.buffer(pair.key()));
        for (KeyManager km : options.getKeyManagerFactory(vertx).getKeyManagers()) {
            if (km instanceof X509ExtendedKeyManager x509) {
                return x509;
            }
        }
        throw new IllegalArgumentException("no X.509 key manager");
    }
}
