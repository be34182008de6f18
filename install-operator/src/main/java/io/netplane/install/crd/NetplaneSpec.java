package io.netplane.install.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What the user asks for; any field may be missing (null) here, the validator says which must not be. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetplaneSpec(
        @JsonProperty("serviceCIDRs") List<String> serviceCIDRs,
        @JsonProperty("podCIDRs") List<String> podCIDRs,
        Kafka kafka,
        Dns dns,
        NodeProxy nodeProxy,
        Ingress ingress) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Kafka(String bootstrapServers) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dns(String clusterDomain, @JsonProperty("serviceIPs") List<String> serviceIPs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeProxy(String mode, Boolean policyEnforcement) {
    }

    /** {@code default} is a Java keyword, hence the component's other name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ingress(String className, @JsonProperty("default") Boolean defaultClass) {
    }
}
