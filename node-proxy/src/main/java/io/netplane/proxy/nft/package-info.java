/** Pure nftables rendering: service ports and their endpoints to per-Service rule fragments, full table scripts and incremental updates. */
package io.netplane.proxy.nft;
