/** Pure route compilation: an Ingress cut down to records, its class resolved, its backends resolved against Services. */
package io.netplane.ingress.compile;
