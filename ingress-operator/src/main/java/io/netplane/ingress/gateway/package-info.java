/** The HTTP(S) gateway shell on Vert.x: validates, matches (via the pure tables), proxies, logs. */
package io.netplane.ingress.gateway;
