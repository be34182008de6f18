/** The REST API: pools and utilisation, who holds a value, idempotent allocate/release for outside consumers. */
package io.netplane.ipam.api;
