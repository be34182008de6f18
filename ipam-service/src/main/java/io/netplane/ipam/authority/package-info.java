/** The address authority: in-memory allocators backed by the durable allocation map, shared by webhook, REST and watchers. */
package io.netplane.ipam.authority;
