/** Pure planning of a Service's ClusterIPs and NodePorts on create and update, over the in-memory allocators. */
package io.netplane.ipam.plan;
