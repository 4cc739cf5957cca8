package io.rosetta.camel.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a WebSocket cleanly when its frame decoder gives up on a frame: a frame above the limit gets
 * a close frame with status 1009 (message too big) and the decoder's reason, a malformed one 1002
 * (protocol error); both are counted. Vert.x configures Netty's decoder not to close on such frames and
 * only reports the error, after which the decoder discards everything the client sends: without this
 * handler the client would wait on a socket that no longer listens.
 *
 * <p>Sits in each HTTP/1.x connection's pipeline in front of Vert.x's handler, where the errors of the
 * WebSocket decoder (which replaces the HTTP decoder at the upgrade) pass by; other errors pass on.
 */
@ChannelHandler.Sharable
final class WebSocketFrameGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "rosetta-websocket-guard";
    /** The name Vert.x gives its own handler in every HTTP/1.x pipeline. */
    static final String VERTX_HANDLER = "handler";
    /** How long a client has to close its side after the close frame. */
    static final long CLOSE_GRACE_MILLIS = 2000;
    /** A close frame's reason may have 123 bytes at most. */
    private static final int MAX_REASON_BYTES = 123;

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrameGuard.class);

    final LongAdder tooLarge = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();

    /** Puts the guard into a connection's pipeline (once). */
    void install(ChannelPipeline pipeline) {
        if (pipeline.get(NAME) == null && pipeline.get(VERTX_HANDLER) != null) {
            pipeline.addBefore(VERTX_HANDLER, NAME, this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        CorruptedWebSocketFrameException frameError = frameErrorOf(cause);
        if (frameError == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        WebSocketCloseStatus status = frameError.closeStatus();
        if (status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            tooLarge.increment();
        } else {
            protocolErrors.increment();
        }
        String reason = reasonOf(frameError.getMessage(), status);
        LOG.debug("WebSocket from {} closed with {}: {}", ctx.channel().remoteAddress(), status.code(), reason);
        if (ctx.channel().isActive()) {
            // The decoder now discards what the client sends, so reading on drains the rest of its frame: closing the
            // connection at once would reset it with that data unread, and the client might never see the close frame.
            // The client answers the close frame by closing its side; a client that does not is cut off after a while.
            ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), reason)).addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                }
            });
            ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static CorruptedWebSocketFrameException frameErrorOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CorruptedWebSocketFrameException e) {
                return e;
            }
        }
        return null;
    }

    static String reasonOf(String message, WebSocketCloseStatus status) {
        String reason = message == null || message.isBlank() ? status.reasonText() : message;
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        // cut on a character boundary
        String cut = new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }
}
