/**
 * The EndpointSlice controller shell: informer events → Service keys on the shared control loop → read the caches,
 * plan with the pure planners, write the plan and record its problems as Events.
 */
package io.netplane.endpoints.reconciler;
