package dev.vigil.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Passes WebSocket upgrades through: the handshake goes to the upstream over a connection of its own;
 * when the upstream switches protocols, its answer goes to the client and both connections drop HTTP
 * and relay bytes to each other, each reading only as fast as the other takes them. Any other answer
 * to the handshake goes to the client as it is, and both connections close.
 */
final class WebSocketTunnel {
  /** Largest answer to a handshake that is not a switch (it is gathered, then sent whole). */
  private static final int MAX_REFUSAL_BYTES = 64 * 1024;

  /** How a refused or failed handshake is answered. */
  interface Refusal {
    void refuse(int status, String code, String message);
  }

  private WebSocketTunnel() {
  }

  static boolean isUpgrade(HttpRequest req) {
    String up = req.headers().get(HttpHeaderNames.UPGRADE);
    return up != null && req.method() == HttpMethod.GET && up.trim().equalsIgnoreCase("websocket");
  }

  /** Starts the handshake of {@code req} with the upstream; answers the client through {@code refused} on failure. */
  static void open(ProxyEngine engine, ChannelHandlerContext client, HttpRequest req, String peer, Exchange x,
      Refusal refused) {
    if (engine.openWebSockets.get() >= engine.config.maxWebSockets()) {
      refused.refuse(503, "too_many_websockets", "the proxy holds its most WebSocket tunnels ("
          + engine.config.maxWebSockets() + ", proxy.max_websockets)");
      return;
    }
    engine.upstream.connect(client.channel().eventLoop()).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        engine.passiveFailure(ClientHandler.describe(f.cause()));
        refused.refuse(502, "upstream_unavailable", "the application at " + engine.upstreamBase
            + " could not be reached: " + ClientHandler.describe(f.cause()));
        return;
      }
      if (!client.channel().isActive()) {
        f.channel().close();
        return;
      }
      Channel up = f.channel();
      up.pipeline().replace("conn", "handshake", new Handshake(engine, client, x, refused));
      HttpHeaders headers = engine.forwarding.toUpstream(req.headers(), peer, true);
      up.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
          engine.upstreamPath + req.uri(), Unpooled.EMPTY_BUFFER, headers, HttpHeaders.EMPTY_HEADERS));
    });
  }

  /** Reads the upstream's answer to the handshake. */
  private static final class Handshake extends ChannelInboundHandlerAdapter {
    private final ProxyEngine engine;
    private final ChannelHandlerContext client;
    private final Exchange x;
    private final Refusal refused;
    private HttpResponse head;
    private ByteBuf refusal;
    private final List<ByteBuf> early = new ArrayList<>();
    private boolean switching;

    Handshake(ProxyEngine engine, ChannelHandlerContext client, Exchange x, Refusal refused) {
      this.engine = engine;
      this.client = client;
      this.x = x;
      this.refused = refused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof ByteBuf bytes && switching) {
          early.add(bytes.retain()); // frames the upstream sent right after switching, before the relay is in place
          return;
        }
        if (msg instanceof HttpResponse r) {
          head = r;
          engine.passiveSuccess();
          if (r.status().code() == 101) {
            switchProtocols(ctx.channel(), r);
            return;
          }
          refusal = Unpooled.buffer();
        }
        if (msg instanceof HttpContent c && refusal != null) {
          if (refusal.readableBytes() + c.content().readableBytes() > MAX_REFUSAL_BYTES) {
            ctx.close();
            refused.refuse(502, "upstream_error", "the application's answer to a WebSocket handshake is over "
                + MAX_REFUSAL_BYTES + " bytes");
            return;
          }
          refusal.writeBytes(c.content());
          if (c instanceof LastHttpContent) {
            HttpHeaders h = head.headers();
            Forwarding.fromUpstream(h);
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            h.set(HttpHeaderNames.CONTENT_LENGTH, refusal.readableBytes());
            h.set(HttpHeaderNames.CONNECTION, "close");
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(), refusal, h,
                HttpHeaders.EMPTY_HEADERS);
            refusal = null;
            x.status = head.status().code();
            x.bytes = out.content().readableBytes();
            ctx.close();
            client.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            engine.finished.accept(x);
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void switchProtocols(Channel up, HttpResponse r) {
      HttpHeaders h = r.headers();
      h.remove(HttpHeaderNames.TRANSFER_ENCODING);
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
      FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.EMPTY_BUFFER, h,
          HttpHeaders.EMPTY_HEADERS);
      up.config().setAutoRead(false);
      switching = true;
      x.status = 101;
      client.writeAndFlush(out).addListener(f -> {
        if (!f.isSuccess()) {
          early.forEach(ByteBuf::release);
          early.clear();
          up.close();
          client.close();
          return;
        }
        for (ByteBuf b : early) {
          client.channel().write(b);
        }
        early.clear();
        client.channel().flush();
        engine.openWebSockets.incrementAndGet();
        engine.finished.accept(x);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable end = () -> {
          if (closed.compareAndSet(false, true)) {
            engine.openWebSockets.decrementAndGet();
          }
        };
        Channel c = client.channel();
        ChannelPipeline cp = c.pipeline();
        cp.addLast("relay", new Relay(up, end));
        for (String name : new String[] {ClientHandler.HANDLER, ClientHandler.COMPRESS,
            ClientHandler.FLOW, ClientHandler.ENCODER, ClientHandler.DECODER}) {
          if (cp.get(name) != null) {
            cp.remove(name);
          }
        }
        ChannelPipeline upp = up.pipeline();
        upp.addLast("relay", new Relay(c, end));
        upp.remove("handshake");
        upp.remove("codec");
        c.config().setAutoRead(true);
        up.config().setAutoRead(true);
      });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      early.forEach(ByteBuf::release);
      early.clear();
      if (refusal != null) {
        refusal.release();
        refusal = null;
      }
      if (head == null) {
        refused.refuse(502, "upstream_unavailable", "the application closed the connection during a WebSocket handshake");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Copies bytes one way, reading only while the other side takes them; closing one side closes the other. */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel other;
    private final Runnable end;

    Relay(Channel other, Runnable end) {
      this.other = other;
      this.end = end;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      other.writeAndFlush(msg).addListener(f -> {
        if (!f.isSuccess()) {
          ctx.close();
        }
      });
      if (!other.isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        other.config().setAutoRead(true);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        ctx.close();
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      end.run();
      other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
