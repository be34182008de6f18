package io.netplane.dns.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.api.names.KubernetesNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The forwarding part of kube-dns's ConfigMap ({@code kube-system/kube-dns}), the format users and upstream's e2e
 * tests write: {@code stubDomains}, a JSON object of DNS suffix to a list of name servers, and
 * {@code upstreamNameservers}, a JSON list of at most three name servers, each an IP address with an optional
 * {@code :port}. Pure: {@link #parse} takes the ConfigMap's data and either returns the settings or throws with the
 * key and the reason, and {@link #selector} lays them over the start-up configuration.
 */
public record KubeDnsConfig(Map<String, List<String>> stubDomains, List<String> upstreamNameservers) {
    public static final String STUB_DOMAINS = "stubDomains";
    public static final String UPSTREAM_NAMESERVERS = "upstreamNameservers";
    public static final KubeDnsConfig EMPTY = new KubeDnsConfig(Map.of(), List.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    public KubeDnsConfig {
        stubDomains = Map.copyOf(stubDomains);
        upstreamNameservers = List.copyOf(upstreamNameservers);
    }

    /**
     * @param data the ConfigMap's keys (absent keys mean "not set"; other keys, such as the deprecated
     *        {@code federations}, are not read)
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static KubeDnsConfig parse(Map<String, String> data) {
        Map<String, List<String>> stubs = new TreeMap<>();
        String stubText = data.get(STUB_DOMAINS);
        if (stubText != null && !stubText.isBlank()) {
            Map<String, List<String>> raw = read(STUB_DOMAINS, stubText, new TypeReference<LinkedHashMap<String, List<String>>>() {
            });
            raw.forEach((domain, servers) -> {
                String d = withoutDot(domain);
                if (!KubernetesNames.isDns1123Subdomain(d)) {
                    throw new IllegalArgumentException(STUB_DOMAINS + ": \"" + domain
                            + "\" is not a DNS subdomain (lower-case labels of letters, digits and '-')");
                }
                if (servers == null || servers.isEmpty()) {
                    throw new IllegalArgumentException(STUB_DOMAINS + "[" + domain + "]: needs at least one name server");
                }
                stubs.put(d, nameservers(STUB_DOMAINS + "[" + domain + "]", servers));
            });
        }
        List<String> upstreams = List.of();
        String upText = data.get(UPSTREAM_NAMESERVERS);
        if (upText != null && !upText.isBlank()) {
            List<String> raw = read(UPSTREAM_NAMESERVERS, upText, new TypeReference<List<String>>() {
            });
            if (raw.size() > 3) {
                throw new IllegalArgumentException(UPSTREAM_NAMESERVERS + ": at most 3 name servers, got " + raw.size());
            }
            upstreams = nameservers(UPSTREAM_NAMESERVERS, raw);
        }
        return new KubeDnsConfig(stubs, upstreams);
    }

    /**
     * The upstreams to forward with: the ConfigMap's stub domains over the start-up ones (the ConfigMap wins for a
     * domain both name), and its upstream name servers instead of the start-up upstreams when it has any.
     */
    public UpstreamSelector selector(Map<String, List<String>> startStubs, List<String> startUpstreams) {
        Map<String, List<String>> stubs = new TreeMap<>();
        startStubs.forEach((d, s) -> stubs.put(withoutDot(d), s));
        stubs.putAll(stubDomains);
        return UpstreamSelector.of(stubs, upstreamNameservers.isEmpty() ? startUpstreams : upstreamNameservers);
    }

    private static <T> T read(String key, String text, TypeReference<T> type) {
        try {
            T value = JSON.readValue(text, type);
            if (value == null) {
                throw new IllegalArgumentException(key + ": null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(key + ": not valid JSON of the expected shape: "
                    + e.getOriginalMessage());
        }
    }

    private static List<String> nameservers(String where, List<String> servers) {
        List<String> out = new ArrayList<>();
        for (String s : servers) {
            try {
                UpstreamSelector.parse(s == null ? "" : s.strip());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ": \"" + s
                        + "\" is not a name server (an IP address, optionally with :port)");
            }
            out.add(s.strip());
        }
        return List.copyOf(out);
    }

    private static String withoutDot(String domain) {
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }
}
