package io.netplane.proxy.kafka;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.events.ServiceView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers the event records this proxy decodes with Jackson for reflection, so a native image can read them
 * (platform-api stays free of Quarkus annotations).
 */
@RegisterForReflection(targets = {
        ServiceView.class, ServiceView.ServicePortView.class,
        EndpointSliceView.class, EndpointSliceView.EndpointPortView.class, EndpointSliceView.EndpointView.class,
        ObjectRef.class, NodeView.class, NodeView.NodeAddressView.class,
        PolicyView.class, PolicyView.RuleView.class, PolicyView.PeerView.class, PolicyView.PortView.class,
        IpSetView.class, IpSetView.MemberView.class, IpSetView.ShardView.class, PodView.ContainerPortView.class })
public final class ContractReflection {
    private ContractReflection() {
    }
}
