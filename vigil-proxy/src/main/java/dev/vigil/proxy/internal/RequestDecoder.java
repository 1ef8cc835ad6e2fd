package dev.vigil.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's request decoder, with two guards a proxy needs.
 *
 * <p>It refuses a request that carries both {@code Content-Length} and {@code Transfer-Encoding}
 * (RFC 9112 §6.1 allows it): a proxy that picks one of the two while the upstream picks the other can
 * be made to smuggle a request, so such a request gets 400 and goes nowhere.
 *
 * <p>It gives a request head a deadline from its first byte: a client that sends a head a byte at a
 * time, just often enough to never be idle, would otherwise hold its connection for as long as it
 * likes. When a head is still incomplete at the deadline, {@link #HEAD_TIMEOUT} is fired down the
 * pipeline (again each period while it stays incomplete). A head that arrives in one read, as nearly
 * every head does, arms no timer at all.
 */
final class RequestDecoder extends HttpRequestDecoder {
  /** Fired when a request head has been arriving for longer than the header timeout. */
  static final Object HEAD_TIMEOUT = new Object() {
    @Override
    public String toString() {
      return "HEAD_TIMEOUT";
    }
  };

  private final long headerTimeoutNanos;
  /** Between messages: the next bytes belong to a request head. */
  private boolean betweenMessages = true;
  private ScheduledFuture<?> deadline;

  RequestDecoder(HttpDecoderConfig config, Duration headerTimeout) {
    super(config);
    this.headerTimeoutNanos = headerTimeout.toNanos();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int from = out.size();
    int before = buffer.readableBytes();
    super.decode(ctx, buffer, out);
    boolean ended = false;
    for (int i = from; i < out.size(); i++) {
      Object o = out.get(i);
      if (o instanceof HttpRequest) {
        betweenMessages = false;
        disarm();
      }
      if (o instanceof LastHttpContent) {
        betweenMessages = true;
        ended = true;
      }
    }
    // the decoder returns as soon as a message ends, so bytes taken by a call that ended one belong to that
    // message; the next head started if a call that ended none took bytes or left some waiting for a line end
    if (!ended && betweenMessages && deadline == null && (buffer.isReadable() || buffer.readableBytes() < before)) {
      deadline = ctx.executor().schedule(() -> expired(ctx), headerTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void expired(ChannelHandlerContext ctx) {
    deadline = null;
    if (!betweenMessages || !ctx.channel().isActive()) {
      return;
    }
    // still incomplete: say so, and look again a period later (the handler may be busy with an earlier request)
    deadline = ctx.executor().schedule(() -> expired(ctx), headerTimeoutNanos, TimeUnit.NANOSECONDS);
    ctx.fireUserEventTriggered(HEAD_TIMEOUT);
  }

  private void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.handlerRemoved0(ctx);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new IllegalArgumentException("a request may not carry both Content-Length and Transfer-Encoding");
  }
}
