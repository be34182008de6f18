package io.netplane.ingress.tls;

import io.netplane.ingress.routing.HostMatcher;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the server certificate per handshake the way Ingress TLS is specified: the Secret bound to the
 * requested SNI name (exact host, then the single-label wildcard), else the default certificate. The table is
 * swapped atomically when Secrets or routes change, so a reload never interrupts handshakes. Aliases carry the
 * table generation, so a handshake that started on the previous table finishes with it.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {

    /** One table: per-Secret key managers, host bindings, and the default. */
    public record Table(long generation, Map<SecretRef, X509ExtendedKeyManager> managers,
            Map<String, SecretRef> hosts, SecretRef defaultSecret) {

        X509ExtendedKeyManager forHost(String host) {
            if (host != null) {
                SecretRef ref = hosts.get(host);
                if (ref == null) {
                    String wildcard = HostMatcher.wildcardKey(host);
                    ref = wildcard == null ? null : hosts.get(wildcard);
                }
                if (ref != null && managers.containsKey(ref)) {
                    return managers.get(ref);
                }
            }
            return defaultSecret == null ? null : managers.get(defaultSecret);
        }
    }

    private final AtomicReference<Table> current = new AtomicReference<>(new Table(0, Map.of(), Map.of(), null));
    private final AtomicReference<Table> previous = new AtomicReference<>(current.get());

    public void update(Map<SecretRef, X509ExtendedKeyManager> managers, Map<String, SecretRef> hosts,
            SecretRef defaultSecret) {
        Table old = current.get();
        previous.set(old);
        current.set(new Table(old.generation() + 1, Map.copyOf(managers), Map.copyOf(hosts), defaultSecret));
    }

    public Table table() {
        return current.get();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Table table = current.get();
        X509ExtendedKeyManager manager = table.forHost(serverName(engine.getHandshakeSession()));
        if (manager == null) {
            return null;
        }
        String alias = manager.chooseEngineServerAlias(keyType, issuers, engine);
        return alias == null ? null : table.generation() + "|" + refOf(table, manager) + "|" + alias;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Resolved r = resolve(alias);
        return r == null ? null : r.manager().getCertificateChain(r.alias());
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Resolved r = resolve(alias);
        return r == null ? null : r.manager().getPrivateKey(r.alias());
    }

    private record Resolved(X509ExtendedKeyManager manager, String alias) {
    }

    private Resolved resolve(String alias) {
        if (alias == null) {
            return null;
        }
        String[] parts = alias.split("\\|", 3);
        if (parts.length != 3) {
            return null;
        }
        long generation = Long.parseLong(parts[0]);
        for (Table table : List.of(current.get(), previous.get())) {
            if (table.generation() == generation) {
                X509ExtendedKeyManager manager = table.managers().get(SecretRef.parse(parts[1]));
                return manager == null ? null : new Resolved(manager, parts[2]);
            }
        }
        return null;
    }

    private static String refOf(Table table, X509ExtendedKeyManager manager) {
        return table.managers().entrySet().stream().filter(e -> e.getValue() == manager).findFirst()
                .map(e -> e.getKey().toString()).orElseThrow();
    }

    static String serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }
}
