package dev.vigil.proxy.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keep-alive connections to the upstream, pooled per event loop: a request is sent on a connection of
 * the loop its client connection runs on, so proxying it never changes threads. A request whose whole
 * body is in memory is sent again on a new connection when a pooled one turns out to have been closed
 * by the upstream before any answer.
 */
final class Upstream {
  /** What a call tells its caller, always on the call's event loop. */
  interface Listener {
    /** The connection is open and the request head (and a whole body) written: a streamed body may follow. */
    default void onSent(Call call) {
    }

    /** The answer's head (never an interim 1xx other than 101). */
    void onHeaders(Call call, HttpResponse response);

    /** A piece of the answer's body; the listener releases it. The last piece is a {@link LastHttpContent}. */
    void onContent(Call call, HttpContent content);

    /** The call failed: it could not connect, timed out, or the connection broke before the answer ended. */
    void onFailure(Call call, Throwable failure);

    /** The connection can take more of a streamed body. */
    default void onWritable(Call call) {
    }
  }

  private final String host;
  private final int port;
  private final Duration readTimeout;
  private final Bootstrap bootstrap;
  private final Map<EventLoop, ArrayDeque<Conn>> idle = new ConcurrentHashMap<>();

  Upstream(String host, int port, Duration connectTimeout, Duration readTimeout, Class<? extends Channel> channelType) {
    this.host = host;
    this.port = port;
    this.readTimeout = readTimeout;
    this.bootstrap = new Bootstrap().channel(channelType)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, readTimeout.toMillis(), TimeUnit.MILLISECONDS));
            ch.pipeline().addLast("codec", new HttpClientCodec(4096, 64 * 1024, 64 * 1024, true));
            ch.pipeline().addLast("conn", new Conn());
          }
        });
  }

  /**
   * Sends {@code head} (a {@link FullHttpRequest} carries its whole body, and the call takes it over:
   * the caller does not release it; otherwise the caller streams the body with {@link Call#write} after
   * {@link Listener#onSent}) from {@code loop}.
   */
  Call call(EventLoop loop, HttpRequest head, Listener listener) {
    Call call = new Call(loop, head, listener);
    call.start(true);
    return call;
  }

  /** A connection of its own for a WebSocket handshake, never pooled. */
  ChannelFuture connect(EventLoop loop) {
    return bootstrap.clone(loop).connect(host, port);
  }

  private Conn pooled(EventLoop loop) {
    ArrayDeque<Conn> q = idle.get(loop);
    while (q != null && !q.isEmpty()) {
      Conn c = q.pollLast();
      if (c.channel.isActive()) {
        return c;
      }
    }
    return null;
  }

  private void giveBack(Conn c) {
    idle.computeIfAbsent(c.channel.eventLoop(), l -> new ArrayDeque<>()).addLast(c);
  }

  /** One request and its answer on one connection. */
  final class Call {
    private final EventLoop loop;
    private final HttpRequest head;
    private final Listener listener;
    private Conn conn;
    private boolean reused;
    private boolean answered;
    private boolean requestEnded;
    private boolean done;
    private boolean interim;
    private boolean keepAlive;

    private Call(EventLoop loop, HttpRequest head, Listener listener) {
      this.loop = loop;
      this.head = head;
      this.listener = listener;
    }

    private void start(boolean mayReuse) {
      Conn c = mayReuse ? pooled(loop) : null;
      if (c != null) {
        reused = true;
        attach(c);
        return;
      }
      reused = false;
      bootstrap.clone(loop).connect(host, port).addListener((ChannelFuture f) -> {
        if (done) {
          if (f.isSuccess()) {
            f.channel().close();
          }
          return;
        }
        if (!f.isSuccess()) {
          Throwable t = f.cause();
          fail(t instanceof ConnectException ? t : new ConnectException("cannot connect to the upstream at " + host
              + ":" + port + ": " + t.getMessage()));
          return;
        }
        attach(f.channel().pipeline().get(Conn.class));
      });
    }

    private void attach(Conn c) {
      conn = c;
      c.call = this;
      boolean whole = head instanceof FullHttpRequest;
      if (whole) {
        ((FullHttpRequest) head).retain();
      }
      c.channel.writeAndFlush(head).addListener(f -> {
        if (!f.isSuccess()) {
          fail(f.cause());
        }
      });
      requestEnded = whole;
      if (!done) {
        listener.onSent(this);
      }
    }

    /** Writes a piece of a streamed body; the last one ends the request. */
    void write(HttpContent content) {
      if (done || conn == null) {
        ReferenceCountUtil.release(content);
        return;
      }
      if (content instanceof LastHttpContent) {
        requestEnded = true;
      }
      conn.channel.writeAndFlush(content).addListener(f -> {
        if (!f.isSuccess()) {
          fail(f.cause());
        }
      });
    }

    /** Whether the connection can take more of a streamed body now. */
    boolean writable() {
      return conn != null && conn.channel.isWritable();
    }

    /** Stops reading the answer until {@link #resume} (the client is not keeping up). */
    void pause() {
      if (conn != null) {
        conn.channel.config().setAutoRead(false);
      }
    }

    /** Reads the answer again. */
    void resume() {
      if (conn != null && !done) {
        conn.channel.config().setAutoRead(true);
      }
    }

    /** Ends the call without telling the listener: its connection is closed, never reused. */
    void abort() {
      if (done) {
        return;
      }
      done = true;
      if (conn != null) {
        conn.call = null;
        conn.channel.close();
      }
      releaseHead();
    }

    private void releaseHead() {
      if (head instanceof FullHttpRequest full && full.refCnt() > 0) {
        full.release();
      }
    }

    void fail(Throwable failure) {
      if (done) {
        return;
      }
      Conn c = conn;
      if (c != null) {
        c.call = null;
        c.channel.close();
      }
      if (!answered && reused && head instanceof FullHttpRequest && !(failure instanceof TimeoutException)) {
        // a pooled connection the upstream had closed: the whole request goes again on a new one
        conn = null;
        start(false);
        return;
      }
      done = true;
      releaseHead();
      listener.onFailure(this, failure);
    }

    private void read(Object msg) {
      if (msg instanceof HttpResponse r) {
        if (r.decoderResult().isFailure()) {
          ReferenceCountUtil.release(msg);
          fail(new IOException("the upstream's answer is not valid HTTP: " + r.decoderResult().cause().getMessage()));
          return;
        }
        int code = r.status().code();
        if (code >= 100 && code < 200 && code != 101) {
          interim = true;
        } else {
          answered = true;
          keepAlive = HttpUtil.isKeepAlive(r);
          listener.onHeaders(this, r);
        }
      }
      if (msg instanceof HttpContent content) {
        if (interim) {
          interim = !(content instanceof LastHttpContent);
          content.release();
          return;
        }
        if (content.decoderResult().isFailure()) {
          content.release();
          fail(new IOException("the upstream's answer broke off: " + content.decoderResult().cause().getMessage()));
          return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
          done = true;
          releaseHead();
          Conn c = conn;
          c.call = null;
          if (keepAlive && requestEnded && c.channel.isActive()) {
            c.channel.config().setAutoRead(true);
            giveBack(c);
          } else {
            c.channel.close();
          }
        }
        listener.onContent(this, content);
      }
    }
  }

  /** The handler of one upstream connection: hands what it reads to the call it carries now. */
  private final class Conn extends ChannelInboundHandlerAdapter {
    private Channel channel;
    private Call call;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Call c = call;
      if (c == null) {
        ReferenceCountUtil.release(msg); // an answer nobody asked for: the connection is not to be trusted
        ctx.close();
        return;
      }
      c.read(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      Call c = call;
      if (c != null && ctx.channel().isWritable()) {
        c.listener.onWritable(c);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        // nothing read or written for the read timeout: a call waiting on the upstream times out, and a
        // connection idle in the pool is closed
        Call c = call;
        if (c != null) {
          c.fail(new TimeoutException("the upstream sent nothing for " + readTimeout.toMillis() + " ms"));
        } else {
          ctx.close();
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ArrayDeque<Conn> q = idle.get(ctx.channel().eventLoop());
      if (q != null) {
        q.remove(this);
      }
      Call c = call;
      if (c != null) {
        c.fail(new ClosedChannelException());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Call c = call;
      if (c != null) {
        c.fail(cause);
      }
      ctx.close();
    }
  }
}
