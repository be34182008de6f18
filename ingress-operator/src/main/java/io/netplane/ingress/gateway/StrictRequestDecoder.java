package io.netplane.ingress.gateway;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's HTTP/1.x request decoder, except that a request carrying both Content-Length and
 * Transfer-Encoding is marked instead of silently having its Content-Length dropped, so the gateway can refuse
 * it with 400 as RFC 9112 allows (a front and a back end disagreeing about framing is how requests are
 * smuggled). Installed per connection; uses Vert.x internals, so it is checked by a gateway test.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

    static final String MARKER = "x-netplane-conflicting-framing";

    private StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.headers().set(MARKER, "1");
    }

    static void install(HttpConnection connection, HttpServerOptions options) {
        if (connection instanceof Http1xServerConnection http1) {
            ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
            if (pipeline.get("httpDecoder") instanceof VertxHttpRequestDecoder) {
                pipeline.replace("httpDecoder", "httpDecoder", new StrictRequestDecoder(options));
            }
        }
    }
}
