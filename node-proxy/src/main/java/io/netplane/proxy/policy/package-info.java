/** NetworkPolicy enforcement for the Pods of this node: compiled policies and address sets rendered to nftables. */
package io.netplane.proxy.policy;
