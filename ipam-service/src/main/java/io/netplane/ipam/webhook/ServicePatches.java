package io.netplane.ipam.webhook;

import io.netplane.ipam.plan.ServicePort;
import io.netplane.ipam.plan.ServiceRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON Patch (RFC 6902) that turns the Service as admitted into the Service as planned: only fields that differ,
 * each as an {@code add} (which replaces an existing member), so a no-op plan is an empty patch.
 */
public final class ServicePatches {
    private ServicePatches() {
    }

    public static List<Map<String, Object>> diff(ServiceRequest in, ServiceRequest out) {
        List<Map<String, Object>> ops = new ArrayList<>();
        if (out.fields().externalName()) {
            return ops;
        }
        if (!Objects.equals(in.fields().clusterIP(), out.fields().clusterIP()) && !out.fields().clusterIP().isEmpty()) {
            ops.add(add("/spec/clusterIP", out.fields().clusterIP()));
        }
        if (!in.fields().clusterIPs().equals(out.fields().clusterIPs()) && !out.fields().clusterIPs().isEmpty()) {
            ops.add(add("/spec/clusterIPs", out.fields().clusterIPs()));
        }
        if (!in.fields().ipFamilies().equals(out.fields().ipFamilies()) && !out.fields().ipFamilies().isEmpty()) {
            ops.add(add("/spec/ipFamilies", out.fields().ipFamilies()));
        }
        if (!Objects.equals(in.fields().ipFamilyPolicy(), out.fields().ipFamilyPolicy())
                && out.fields().ipFamilyPolicy() != null) {
            ops.add(add("/spec/ipFamilyPolicy", out.fields().ipFamilyPolicy()));
        }
        for (int i = 0; i < in.ports().size() && i < out.ports().size(); i++) {
            ServicePort a = in.ports().get(i);
            ServicePort b = out.ports().get(i);
            if (a.nodePort() != b.nodePort()) {
                ops.add(b.nodePort() == 0 ? remove("/spec/ports/" + i + "/nodePort")
                        : add("/spec/ports/" + i + "/nodePort", b.nodePort()));
            }
        }
        if (in.healthCheckNodePort() != out.healthCheckNodePort()) {
            ops.add(out.healthCheckNodePort() == 0 ? remove("/spec/healthCheckNodePort")
                    : add("/spec/healthCheckNodePort", out.healthCheckNodePort()));
        }
        return ops;
    }

    private static Map<String, Object> add(String path, Object value) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", "add");
        op.put("path", path);
        op.put("value", value);
        return op;
    }

    private static Map<String, Object> remove(String path) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", "remove");
        op.put("path", path);
        return op;
    }
}
