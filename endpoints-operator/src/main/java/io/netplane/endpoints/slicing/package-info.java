/**
 * The pure EndpointSlice planner: Service + Pods + Nodes + existing slices → creates, updates and deletes, with the
 * packing, ownership, labels, placeholder and topology-hint rules of the upstream EndpointSlice reconciler
 * (staging/src/k8s.io/endpointslice). No client, clock or configuration lookup inside.
 */
package io.netplane.endpoints.slicing;
