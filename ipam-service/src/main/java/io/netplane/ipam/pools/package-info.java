/** Pure LoadBalancer address pools and pod-CIDR ranges: parsing, validation, allocation over address blocks. */
package io.netplane.ipam.pools;
