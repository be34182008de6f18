/** Userspace data plane for hosts without nftables: Vert.x TCP and UDP proxies listening on ClusterIPs and NodePorts. */
package io.netplane.proxy.userspace;
