/** Where allocation records live: Kubernetes objects (one per value, created atomically by name) or memory. */
package io.netplane.ipam.store;
