/** The typed configuration of the DNS service. */
package io.netplane.dns.config;
