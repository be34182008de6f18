/** The pure core: DNS records of the cluster zone built from contract events, and the answers they give. No I/O. */
package io.netplane.dns.records;
