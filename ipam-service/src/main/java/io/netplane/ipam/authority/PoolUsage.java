package io.netplane.ipam.authority;

/** A pool's utilisation as the REST API reports it. */
public record PoolUsage(String name, String kind, String family, String range, long size, long used, long free) {
    static PoolUsage of(Pool p) {
        return new PoolUsage(p.name(), p.kind(), p.family(), p.range(), p.size(), p.used(), p.size() - p.used());
    }
}
