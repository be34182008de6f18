/** HTTP surfaces: /healthz with the last sync time, healthCheckNodePort servers, readiness. */
package io.netplane.proxy.server;
