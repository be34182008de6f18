/**
 * Pure planning of one reconcile of a Service: from what was read for it ({@code ServiceState}) to everything that
 * is written ({@code ServicePlan}): which planner applies, which slices and which Endpoints object go.
 */
package io.netplane.endpoints.planning;
