package io.netplane.ingress.endpoints;

/** One address and target port a request can be proxied to. */
public record Endpoint(String address, int port) {

    /** {@code host:port}, with IPv6 addresses bracketed. */
    public String hostPort() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
