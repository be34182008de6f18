/** Pure endpoint resolution: EndpointSlice views indexed by Service and port, ready endpoints only. */
package io.netplane.ingress.endpoints;
