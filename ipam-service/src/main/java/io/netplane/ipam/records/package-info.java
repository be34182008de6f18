/** Pure allocation records (one per allocated address, port or CIDR) and the one naming helper for them. */
package io.netplane.ipam.records;
