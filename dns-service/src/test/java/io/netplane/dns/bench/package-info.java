/** The benchmark's feeder: a real broker, N Services and Pods published to it, and the peer's equivalent zone. */
package io.netplane.dns.bench;
