/** Netplane endpoints operator: the EndpointSlice controller and the services/endpointslices/pods/nodes streams. */
package io.netplane.endpoints;
