/** Pure endpoint selection: Service and EndpointSlice views plus this node, cut down to service ports and categorised endpoints. */
package io.netplane.proxy.model;
