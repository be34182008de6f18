package io.netplane.it.faults;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.testing.cluster.Netexec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every consumer compared with the API's truth, read afresh on each call: allocations unique, EndpointSlices equal to
 * the Ready Pods, each node's nftables holding exactly the Services' ClusterIPs and their endpoints (and nothing of a
 * deleted one), each DNS replica answering every Service and NXDOMAIN for deleted ones, the gateway routing every
 * live Ingress host and no deleted one, the churn NetworkPolicy enforced exactly while it exists.
 */
final class Consumers {
    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![\\d/])");
    private static final Pattern BLOCK = Pattern.compile("^\t(?:set|map|chain) \"?([^\"{ ]+)\"? \\{$");
    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Pattern ANSWER = Pattern.compile("^\\S+\\s+\\d+\\s+IN\\s+A\\s+(\\S+)$", Pattern.MULTILINE);

    private final KubernetesClient kube;
    private final String ns;
    private final Map<String, String> nodeNetns;
    private final String allowedClient;
    private final String deniedClient;

    Consumers(KubernetesClient kube, String ns, Map<String, String> nodeNetns, String allowedClient, String deniedClient) {
        this.kube = kube;
        this.ns = ns;
        this.nodeNetns = nodeNetns;
        this.allowedClient = allowedClient;
        this.deniedClient = deniedClient;
    }

    /** What disagrees with the API, one line each; empty when every consumer has converged. */
    List<String> disagreements(Set<String> names) {
        List<String> out = new ArrayList<>();
        List<Service> services = kube.services().inAnyNamespace().list().getItems();
        allocations(services, out);
        Map<String, Service> churn = new LinkedHashMap<>();
        services.stream().filter(s -> ns.equals(s.getMetadata().getNamespace()) && names.contains(s.getMetadata().getName()))
                .forEach(s -> churn.put(s.getMetadata().getName(), s));
        Set<String> ready = readyPodIps();
        Map<String, Set<String>> sliced = slices();
        for (Service service : churn.values()) {
            // the Service's families only: a single-stack Service has slices of its family alone
            List<String> families = service.getSpec().getIpFamilies();
            Set<String> expected = new TreeSet<>(ready.stream().filter(ip -> families.contains(ip.contains(":") ? "IPv6" : "IPv4")).toList());
            Set<String> s = sliced.getOrDefault(service.getMetadata().getName(), Set.of());
            if (!s.equals(expected)) {
                out.add("EndpointSlices of " + service.getMetadata().getName() + " hold " + s + ", the Ready Pods are " + expected);
            }
        }
        Set<String> clusterIps = new TreeSet<>();
        services.forEach(s -> s.getSpec().getClusterIPs().stream().filter(ip -> !ip.contains(":") && !"None".equals(ip))
                .forEach(clusterIps::add));
        nodeNetns.forEach((node, netns) -> nftables(node, netns, clusterIps, churn.keySet(), names, ready, out));
        dns(churn, names, out);
        Set<String> ingresses = new HashSet<>();
        kube.network().v1().ingresses().inNamespace(ns).list().getItems().forEach(i -> ingresses.add(i.getMetadata().getName()));
        gateway(ingresses, names, out);
        policy(churn.keySet(), out);
        return out;
    }

    private static void allocations(List<Service> services, List<String> out) {
        Map<String, String> ips = new HashMap<>();
        Map<Integer, String> nodePorts = new HashMap<>();
        for (Service s : services) {
            String name = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
            for (String ip : s.getSpec().getClusterIPs()) {
                if (!"None".equals(ip) && ips.putIfAbsent(ip, name) != null) {
                    out.add("ClusterIP " + ip + " held by " + ips.get(ip) + " and " + name);
                }
            }
            for (ServicePort p : s.getSpec().getPorts()) {
                if (p.getNodePort() != null && nodePorts.putIfAbsent(p.getNodePort(), name) != null
                        && !nodePorts.get(p.getNodePort()).equals(name)) {
                    out.add("NodePort " + p.getNodePort() + " held by " + nodePorts.get(p.getNodePort()) + " and " + name);
                }
            }
            if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null && s.getStatus().getLoadBalancer().getIngress() != null) {
                s.getStatus().getLoadBalancer().getIngress().forEach(i -> {
                    if (i.getIp() != null && ips.putIfAbsent("lb:" + i.getIp(), name) != null) {
                        out.add("LoadBalancer address " + i.getIp() + " held by " + ips.get("lb:" + i.getIp()) + " and " + name);
                    }
                });
            }
        }
    }

    private Set<String> readyPodIps() {
        Set<String> out = new TreeSet<>();
        for (Pod p : kube.pods().inNamespace(ns).withLabel("app", Churn.APP).list().getItems()) {
            boolean ready = p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (ready) {
                p.getStatus().getPodIPs().forEach(ip -> out.add(ip.getIp()));
            }
        }
        return out;
    }

    /** Service name to the addresses of its ready endpoints over all its slices (both families). */
    private Map<String, Set<String>> slices() {
        Map<String, Set<String>> out = new HashMap<>();
        for (EndpointSlice slice : kube.discovery().v1().endpointSlices().inNamespace(ns).list().getItems()) {
            String service = slice.getMetadata().getLabels().get("kubernetes.io/service-name");
            for (Endpoint e : slice.getEndpoints()) {
                if (e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady())) {
                    out.computeIfAbsent(service, k -> new TreeSet<>()).addAll(e.getAddresses());
                }
            }
        }
        return out;
    }

    /** The blocks of {@code nft list table}: name of each set, map and chain to its body. */
    static Map<String, String> blocks(String listing) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : listing.split("\n")) {
            Matcher m = BLOCK.matcher(line);
            if (m.matches()) {
                name = m.group(1);
                body.setLength(0);
            } else if (name != null && line.equals("\t}")) {
                out.put(name, body.toString());
                name = null;
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    static Set<String> ipv4(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = IPV4.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private void nftables(String node, String netns, Set<String> clusterIps, Set<String> live, Set<String> names,
                          Set<String> ready, List<String> out) {
        Map<String, String> blocks = blocks(Host.inNode(netns, "nft", "list", "table", "ip", "netplane-proxy"));
        Set<String> programmed = ipv4(blocks.getOrDefault("cluster-ips", ""));
        if (!programmed.equals(clusterIps)) {
            Set<String> stale = new TreeSet<>(programmed);
            stale.removeAll(clusterIps);
            Set<String> missing = new TreeSet<>(clusterIps);
            missing.removeAll(programmed);
            out.add(node + " nftables cluster-ips: stale " + stale + ", missing " + missing);
        }
        Set<String> readyV4 = new TreeSet<>(ready.stream().filter(ip -> !ip.contains(":")).toList());
        for (String name : names) {
            String marker = "-" + ns + "/" + name + "/";
            List<String> chains = blocks.keySet().stream().filter(b -> b.contains(marker)).toList();
            if (!live.contains(name)) {
                if (!chains.isEmpty()) {
                    out.add(node + " nftables still has " + chains + " of the deleted Service " + name);
                }
                continue;
            }
            Set<String> targets = new TreeSet<>();
            chains.forEach(c -> ipv4(blocks.get(c)).stream().filter(ip -> ip.startsWith("10.244.")).forEach(targets::add));
            if (!targets.equals(readyV4)) {
                out.add(node + " nftables endpoints of " + name + ": " + targets + ", the Ready Pods are " + readyV4);
            }
        }
    }

    private List<String> dnsServers() {
        return kube.pods().inNamespace("kube-system").withLabel("app.kubernetes.io/name", "dns-service").list().getItems().stream()
                .filter(p -> p.getStatus().getPodIP() != null && p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getStatus().getPodIP()).toList();
    }

    private void dns(Map<String, Service> live, Set<String> names, List<String> out) {
        for (String server : dnsServers()) {
            for (String name : names) {
                String text = Host.run(List.of("dig", "+time=2", "+tries=2", "@" + server, name + "." + ns + ".svc.cluster.local", "A"), 30, false);
                Matcher status = STATUS.matcher(text);
                String rcode = status.find() ? status.group(1) : "no answer";
                Set<String> answers = new TreeSet<>();
                Matcher a = ANSWER.matcher(text);
                while (a.find()) {
                    answers.add(a.group(1));
                }
                Service s = live.get(name);
                if (s == null && !"NXDOMAIN".equals(rcode)) {
                    out.add("DNS " + server + ": deleted " + name + " answers " + rcode + " " + answers);
                } else if (s != null && !answers.equals(Set.of(s.getSpec().getClusterIP()))) {
                    out.add("DNS " + server + ": " + name + " answers " + rcode + " " + answers + ", its ClusterIP is " + s.getSpec().getClusterIP());
                }
            }
        }
    }

    private void gateway(Set<String> live, Set<String> names, List<String> out) {
        Service gateway = kube.services().inNamespace("netplane-system").withName("ingress-gateway").get();
        int nodePort = gateway.getSpec().getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow().getNodePort();
        Set<String> podNames = new HashSet<>();
        kube.pods().inNamespace(ns).withLabel("app", Churn.APP).list().getItems().forEach(p -> podNames.add(p.getMetadata().getName()));
        List<String> gatewayNodes = kube.pods().inNamespace("netplane-system").withLabel("app.kubernetes.io/name", "ingress-gateway")
                .list().getItems().stream().map(p -> p.getStatus().getHostIP()).filter(ip -> ip != null).distinct().toList();
        for (String node : gatewayNodes) {
            for (String name : names) {
                Optional<String> answer = Netexec.get(node, nodePort, "/hostname", Churn.host(name), Duration.ofSeconds(3));
                if (live.contains(name) && !answer.filter(podNames::contains).isPresent()) {
                    out.add("gateway via " + node + ": " + Churn.host(name) + " answered " + answer);
                } else if (!live.contains(name) && answer.isPresent()) {
                    out.add("gateway via " + node + ": deleted " + Churn.host(name) + " still routed to " + answer.get());
                }
            }
        }
    }

    private void policy(Set<String> live, List<String> out) {
        if (live.isEmpty()) {
            return;
        }
        boolean guarded = kube.network().networkPolicies().inNamespace(ns).withName(Churn.POLICY).get() != null;
        String target = live.iterator().next() + "." + ns + ".svc.cluster.local";
        boolean allowed = Netexec.dial(allowedClient, "hostname", "http", target, 80, 2).responses().size() == 2;
        boolean denied = Netexec.dial(deniedClient, "hostname", "http", target, 80, 1).answered();
        if (!allowed) {
            out.add("policy: the admitted client does not reach " + target);
        }
        if (denied == guarded) {
            out.add("policy: the unlabelled client " + (denied ? "reaches " + target + " although " + Churn.POLICY + " denies it"
                    : "does not reach " + target + " although no policy denies it"));
        }
    }
}
