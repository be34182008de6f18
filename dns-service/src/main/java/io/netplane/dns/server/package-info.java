/** The thin network shell: UDP and TCP listeners, query admission (allow-list, rate limit), response encoding. */
package io.netplane.dns.server;
