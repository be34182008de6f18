package io.netplane.proxy.nft;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Every generated chain and set name. Names read {@code <kind>-<HASH>-<namespace>/<service>/<protocol>/<port>}
 * (plus {@code __<ip>/<port>} for the per-endpoint chains and sets of ClientIP-affinity Services): Kubernetes
 * names only hold {@code [a-z0-9-]}, so {@code /} keeps them apart from the fixed chains, and the hash keeps
 * near-identical names distinguishable. IPv6 colons are not valid in nftables names and become dots.
 */
public final class ChainNames {
    public static final String SERVICES = "services";
    public static final String SERVICE_IPS = "service-ips";
    public static final String SERVICE_NODEPORTS = "service-nodeports";
    public static final String NODEPORT_IPS = "nodeport-ips";
    public static final String CLUSTER_IPS = "cluster-ips";
    public static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    public static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    public static final String FIREWALL_IPS = "firewall-ips";
    /** {@code address . address} of every endpoint: a connection DNATed back to its own source is masqueraded. */
    public static final String HAIRPIN_IPS = "hairpin-ips";
    public static final String ENDPOINTS_CHECK = "endpoints-check";
    public static final String FIREWALL_CHECK = "firewall-check";
    public static final String CLUSTER_IPS_CHECK = "cluster-ips-check";
    public static final String REJECT = "reject-chain";
    public static final String MARK_MASQ = "mark-for-masquerade";
    public static final String MASQUERADING = "masquerading";

    private static final int MAX = 250;
    private static final Set<String> SHARED = Set.of(HAIRPIN_IPS);

    private ChainNames() {
    }

    /**
     * Whether several Services may hold the same element of this container (two Services selecting one Pod
     * share its hairpin element): such an element stays while any holder remains, and is no conflict.
     */
    public static boolean shared(String container) {
        return SHARED.contains(container);
    }

    public static String cluster(String portKey) {
        return "service-" + base(portKey);
    }

    public static String local(String portKey) {
        return "local-" + base(portKey);
    }

    public static String external(String portKey) {
        return "external-" + base(portKey);
    }

    public static String firewall(String portKey) {
        return "firewall-" + base(portKey);
    }

    public static String endpoint(String portKey, String ip, int port) {
        return "endpoint-" + base(portKey + "__" + ip.replace(':', '.') + "/" + port);
    }

    public static String affinity(String portKey, String ip, int port) {
        return "affinity-" + base(portKey + "__" + ip.replace(':', '.') + "/" + port);
    }

    private static String base(String name) {
        String s = hash(name) + "-" + name;
        return s.length() > MAX ? s.substring(0, MAX - 3) + "..." : s;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static String hash(String name) {
        byte[] d = SHA256.get().digest(name.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[8];
        for (int i = 0; i < 4; i++) {
            out[2 * i] = HEX[(d[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[d[i] & 0xf];
        }
        return new String(out);
    }
}
