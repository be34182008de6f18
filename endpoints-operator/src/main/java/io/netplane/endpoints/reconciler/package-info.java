/** The EndpointSlice controller shell: informer events → a Service work queue → the pure planner → API writes and Events. */
package io.netplane.endpoints.reconciler;
