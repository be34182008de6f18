/** TLS material for the gateway: which Secrets routes reference, where their PEM comes from, and SNI options. */
package io.netplane.ingress.tls;
