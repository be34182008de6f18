package io.netplane.install.model;

import io.netplane.install.crd.NetplaneSpec;
import java.util.List;

/** Named builders of Netplane specs for the tables: {@code dualStack().serviceCidrs("...")}. */
final class Specs {
    private List<String> serviceCidrs;
    private List<String> podCidrs;
    private String bootstrap = "10.77.0.1:9092";
    private String domain;
    private List<String> dnsIps;
    private String mode;
    private Boolean enforce;
    private String className;
    private Boolean defaultClass;

    private Specs(List<String> service, List<String> pod, List<String> dns) {
        this.serviceCidrs = service;
        this.podCidrs = pod;
        this.dnsIps = dns;
    }

    static Specs ipv4() {
        return new Specs(List.of("10.96.0.0/16"), List.of("10.244.0.0/16"), List.of("10.96.0.10"));
    }

    static Specs dualStack() {
        return new Specs(List.of("10.96.0.0/16", "fd00:10:96::/112"), List.of("10.244.0.0/16", "fd00:10:244::/56"),
                List.of("10.96.0.10", "fd00:10:96::a"));
    }

    Specs serviceCidrs(String... v) {
        serviceCidrs = v == null ? null : List.of(v);
        return this;
    }

    Specs podCidrs(String... v) {
        podCidrs = v == null ? null : List.of(v);
        return this;
    }

    Specs bootstrap(String v) {
        bootstrap = v;
        return this;
    }

    Specs domain(String v) {
        domain = v;
        return this;
    }

    Specs dnsIps(String... v) {
        dnsIps = v == null ? null : List.of(v);
        return this;
    }

    Specs mode(String v) {
        mode = v;
        return this;
    }

    Specs enforce(boolean v) {
        enforce = v;
        return this;
    }

    Specs className(String v) {
        className = v;
        return this;
    }

    Specs defaultClass(boolean v) {
        defaultClass = v;
        return this;
    }

    NetplaneSpec build() {
        return new NetplaneSpec(serviceCidrs, podCidrs, new NetplaneSpec.Kafka(bootstrap),
                new NetplaneSpec.Dns(domain, dnsIps), new NetplaneSpec.NodeProxy(mode, enforce),
                new NetplaneSpec.Ingress(className, defaultClass));
    }

    InstallSettings settings() {
        return SpecValidator.validate(build()).settings().orElseThrow();
    }
}
