/**
 * The REST API: pools and utilisation, who holds a value (open), idempotent allocate/release for outside consumers
 * (a Kubernetes bearer token of a user allowed by RBAC, decided by {@link io.netplane.ipam.access.AccessDecider}).
 */
package io.netplane.ipam.api;
