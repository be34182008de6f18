/** The sync loop: turns the cluster state into plans and programs them into a data plane (nftables or userspace), with retries and metrics. */
package io.netplane.proxy.sync;
