/** Pure request matching: Kubernetes Ingress host and path semantics over the merged routes of one class. */
package io.netplane.ingress.routing;
