/** Kubernetes Events for every operator, with the one de-duplication rule users learn once. */
package io.netplane.runtime.events;
