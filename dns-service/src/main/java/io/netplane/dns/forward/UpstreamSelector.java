package io.netplane.dns.forward;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Chooses the upstream resolvers of a name: those of the longest stub domain that contains it, else the
 * default upstreams (the {@code stubDomains}/{@code upstreamNameservers} semantics of kube-dns and CoreDNS's
 * per-zone forward blocks). Pure.
 */
public final class UpstreamSelector {
    private final List<Stub> stubs;
    private final List<InetSocketAddress> defaults;

    private record Stub(Name suffix, List<InetSocketAddress> upstreams) {
    }

    private UpstreamSelector(List<Stub> stubs, List<InetSocketAddress> defaults) {
        this.stubs = stubs;
        this.defaults = defaults;
    }

    /** @param stubDomains suffix → upstreams as {@code host} or {@code host:port} ({@code [v6]:port} for IPv6) */
    public static UpstreamSelector of(Map<String, List<String>> stubDomains, List<String> defaults) {
        List<Stub> stubs = new ArrayList<>();
        stubDomains.forEach((suffix, ups) -> stubs.add(new Stub(absolute(suffix), parseAll(ups))));
        stubs.sort(Comparator.comparingInt((Stub s) -> s.suffix().labels()).reversed());
        return new UpstreamSelector(List.copyOf(stubs), parseAll(defaults));
    }

    /** The upstreams for {@code qname}; empty when there are none (the server then answers REFUSED). */
    public List<InetSocketAddress> select(Name qname) {
        for (Stub s : stubs) {
            if (qname.subdomain(s.suffix())) {
                return s.upstreams();
            }
        }
        return defaults;
    }

    public boolean isEmpty() {
        return defaults.isEmpty() && stubs.isEmpty();
    }

    /** The nameserver lines of a resolv.conf text. */
    public static List<String> nameservers(String resolvConf) {
        List<String> out = new ArrayList<>();
        for (String line : resolvConf.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) {
                out.add(f[1]);
            }
        }
        return out;
    }

    static List<InetSocketAddress> parseAll(List<String> upstreams) {
        return upstreams.stream().map(String::trim).filter(s -> !s.isEmpty()).map(UpstreamSelector::parse).toList();
    }

    /** {@code 1.2.3.4}, {@code 1.2.3.4:5353}, {@code fd00::1}, {@code [fd00::1]:5353}; port 53 by default. */
    static InetSocketAddress parse(String text) {
        String host = text;
        int port = 53;
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            host = text.substring(1, end);
            if (text.length() > end + 2 && text.charAt(end + 1) == ':') {
                port = Integer.parseInt(text.substring(end + 2));
            }
        } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
            host = text.substring(0, text.indexOf(':'));
            port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
        }
        if (!io.netplane.api.net.IpAddress.isValid(host)) {
            throw new IllegalArgumentException("upstream must be an IP address (optionally with :port): " + text);
        }
        return new InetSocketAddress(host, port);
    }

    private static Name absolute(String suffix) {
        try {
            return Name.fromString(suffix.endsWith(".") ? suffix : suffix + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad stub domain " + suffix, e);
        }
    }
}
