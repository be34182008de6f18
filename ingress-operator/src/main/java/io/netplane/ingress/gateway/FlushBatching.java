package io.netplane.ingress.gateway;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Merges the flushes of one event-loop turn on a client's connection into one write. A proxied response is
 * written from the backend connection's read, where Vert.x flushes every write at once: over HTTP/1.1 head
 * and body, then the last chunk, each went out in its own system call and TCP segment; over HTTP/2 every
 * stream's frames, each in its own TLS record. Batched, a small response leaves in one write, as nginx sends
 * it. The batch is flushed by a task queued behind the current one, so nothing waits for more data.
 */
final class FlushBatching {
    private FlushBatching() {
    }

    static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
            if (pipeline.get("handler") != null && pipeline.get("flushBatching") == null) {
                // right before Vert.x's handler: it sees every write and flush, and the reads that end a batch
                pipeline.addBefore("handler", "flushBatching", new FlushConsolidationHandler(256, true));
            }
        }
    }
}
