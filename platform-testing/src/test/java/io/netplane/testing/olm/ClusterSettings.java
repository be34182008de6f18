package io.netplane.testing.olm;

import static io.netplane.testing.olm.BundleGenerator.list;
import static io.netplane.testing.olm.BundleGenerator.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Under OLM the cluster's own settings (where Kafka is, the Service and Pod CIDRs, the DNS zone and address, the
 * ingress class) are not the bundle's: they are the {@code Netplane} resource's, which the install operator writes
 * into the ConfigMap {@value #CONFIG_MAP} of the install namespace. In the CSV a Deployment's variable that k8s/
 * sets to a placeholder value reads that ConfigMap's key instead. The key is required: until there is a
 * {@code Netplane} resource a component's container does not start (kubelet reports the missing ConfigMap and
 * retries), so nothing runs on a guess: ipam-service would otherwise hand the Nodes Pod CIDRs of a default range,
 * and a Node's podCIDRs cannot be changed once set. The install operator restarts the components when the
 * ConfigMap changes. A variable a container takes from a ConfigMap of k8s/ ({@code envFrom}) gets an {@code env}
 * entry of the same kind, which takes precedence over {@code envFrom}.
 */
final class ClusterSettings {
    static final String CONFIG_MAP = "netplane-cluster";
    /** Container variable of k8s/ -> the key of {@value #CONFIG_MAP} it reads under OLM. */
    static final Map<String, String> KEYS = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS",
            "NETPLANE_IPAM_SERVICE_CIDRS", "NETPLANE_SERVICE_CIDRS",
            "NETPLANE_IPAM_CLUSTER_CIDRS", "NETPLANE_POD_CIDRS",
            "NETPLANE_DNS_ZONE", "NETPLANE_DNS_ZONE",
            "NETPLANE_DNS_NAMESERVER_ADDRESSES", "NETPLANE_DNS_ADDRESSES",
            "NETPLANE_INGRESS_GATEWAY_CLASS_NAME", "NETPLANE_INGRESS_CLASS");

    private ClusterSettings() {
    }

    /** {@code configMaps}: the data of k8s/'s ConfigMaps by name, for the containers' {@code envFrom}. */
    static Map<String, Object> readFromConfigMap(Map<String, Object> deploymentSpec,
            Map<String, Map<String, Object>> configMaps) {
        Map<String, Object> spec = new LinkedHashMap<>(deploymentSpec);
        Map<String, Object> template = new LinkedHashMap<>(map(spec.get("template")));
        Map<String, Object> pod = new LinkedHashMap<>(map(template.get("spec")));
        List<Object> containers = new ArrayList<>();
        for (Object c : list(pod.get("containers"))) {
            Map<String, Object> container = new LinkedHashMap<>(map(c));
            List<Object> env = new ArrayList<>();
            for (Object from : list(container.get("envFrom"))) {
                String name = (String) map(map(from).get("configMapRef")).get("name");
                for (String var : new TreeSet<>(configMaps.getOrDefault(name, Map.of()).keySet())) {
                    if (KEYS.containsKey(var)) {
                        env.add(fromConfigMap(var));
                    }
                }
            }
            for (Object e : list(container.get("env"))) {
                Map<String, Object> var = map(e);
                String name = (String) var.get("name");
                env.add(KEYS.containsKey(name) && var.containsKey("value") ? fromConfigMap(name) : var);
            }
            if (!env.isEmpty()) {
                container.put("env", env);
            }
            containers.add(container);
        }
        pod.put("containers", containers);
        template.put("spec", pod);
        spec.put("template", template);
        return spec;
    }

    private static Map<String, Object> fromConfigMap(String var) {
        return Map.of("name", var, "valueFrom", Map.of("configMapKeyRef", Map.of("name", CONFIG_MAP, "key", KEYS.get(var))));
    }
}
