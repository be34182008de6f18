/** Pure backend choice for the userspace proxy: round-robin, ClientIP affinity with timeout, failover order. */
package io.netplane.proxy.balance;
