/** Names outside the cluster zone: upstream selection (stub domains), forwarding and the TTL-honouring cache. */
package io.netplane.dns.forward;
