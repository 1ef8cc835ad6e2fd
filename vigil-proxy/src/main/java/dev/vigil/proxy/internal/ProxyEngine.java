package dev.vigil.proxy.internal;

import dev.vigil.proxy.ProxyConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The proxy's network side on Netty: event loops (native epoll where the platform has it), the
 * listening socket, and per connection an HTTP/1.1 pipeline ending in a {@link ClientHandler}. Each
 * client connection and the upstream connections it uses share one event loop, so a proxied request
 * runs on one thread from the client's bytes to the upstream and back. Everything a handler shares
 * with the others (limits, cache, statistics, budgets) lives here.
 */
public final class ProxyEngine implements AutoCloseable {
  final ProxyConfig config;
  final Clock clock;
  final RouteTemplates templates;
  final RouteStatsRegistry stats;
  final ResponseCache cache;
  final Limits limits;
  final Forwarding forwarding;
  final Upstream upstream;
  final String upstreamBase;
  final String upstreamPath;
  final Consumer<Exchange> finished;
  final AtomicLong bufferedRequestBytes = new AtomicLong();
  final AtomicInteger streamedUploads = new AtomicInteger();
  final AtomicInteger openWebSockets = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong refusedConnections = new AtomicLong();
  volatile UpstreamHealth health;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;
  private final Channel listener;

  /**
   * Binds {@code config.listenHost():listenPort()} and starts serving.
   *
   * @param finished told of every exchange when its answer has ended (on the connection's event loop)
   * @throws IOException naming the address when it cannot be bound
   */
  public ProxyEngine(ProxyConfig config, Clock clock, RouteStatsRegistry stats, ResponseCache cache, Limits limits,
      Consumer<Exchange> finished) throws IOException {
    this.config = config;
    this.clock = clock;
    this.templates = new RouteTemplates(config.routes());
    this.stats = stats;
    this.cache = cache;
    this.limits = limits;
    this.finished = finished;
    URI u = config.upstream();
    int port = u.getPort() > 0 ? u.getPort() : 80;
    this.upstreamPath = u.getRawPath() == null ? "" : u.getRawPath();
    this.upstreamBase = "http://" + u.getHost() + ":" + port + upstreamPath;
    this.forwarding = new Forwarding(new Cidrs(config.trustedProxies()), config.preserveHost(),
        u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : ""));
    boolean epoll = Epoll.isAvailable();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    this.acceptor = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("vigil-proxy-accept", true))
        : new NioEventLoopGroup(1, new DefaultThreadFactory("vigil-proxy-accept", true));
    this.workers = epoll ? new EpollEventLoopGroup(threads, new DefaultThreadFactory("vigil-proxy", true))
        : new NioEventLoopGroup(threads, new DefaultThreadFactory("vigil-proxy", true));
    this.upstream = new Upstream(u.getHost(), port, config.connectTimeout(), config.readTimeout(),
        epoll ? EpollSocketChannel.class : NioSocketChannel.class);
    Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap b = new ServerBootstrap().group(acceptor, workers).channel(serverType)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (connections.incrementAndGet() > config.maxConnections()) {
              connections.decrementAndGet();
              refusedConnections.incrementAndGet();
              ch.close();
              return;
            }
            ch.closeFuture().addListener(f -> connections.decrementAndGet());
            pipeline(ch.pipeline());
          }
        });
    try {
      this.listener = b.bind(new InetSocketAddress(config.listenHost(), config.listenPort())).sync().channel();
    } catch (Exception e) {
      shutdown();
      throw new IOException("the application proxy could not listen on " + config.listenHost() + ":"
          + config.listenPort() + ": " + e.getMessage(), e);
    }
  }

  private void pipeline(ChannelPipeline p) {
    HttpDecoderConfig decoding = new HttpDecoderConfig().setMaxInitialLineLength(8192)
        .setMaxHeaderSize(config.maxRequestHeaderBytes()).setMaxChunkSize(64 * 1024).setStrictLineParsing(true)
        .setValidateHeaders(true).setAllowDuplicateContentLengths(false);
    p.addLast(ClientHandler.DECODER, new RequestDecoder(decoding, config.headerTimeout()));
    p.addLast(ClientHandler.ENCODER, new HttpResponseEncoder());
    // idle on reads only: a client that reads nothing for the read timeout is idle between requests, slow
    // with its body, or not taking its answer, and ClientHandler tells these apart
    p.addLast(ClientHandler.IDLE, new IdleStateHandler(config.readTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    p.addLast(ClientHandler.FLOW, new FlowControlHandler());
    if (config.compression()) {
      p.addLast(ClientHandler.COMPRESS, new Compression(config.compressMinBytes()));
    }
    p.addLast(ClientHandler.HANDLER, new ClientHandler(this));
  }

  /** The port the proxy listens on. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Wires the health tracker. */
  public void health(UpstreamHealth h) {
    this.health = h;
  }

  /** Client connections open now. */
  public int connections() {
    return connections.get();
  }

  /** Client connections closed as they were accepted because {@code proxy.max_connections} were open. */
  public long refusedConnections() {
    return refusedConnections.get();
  }

  /** WebSocket tunnels open now. */
  public int openWebSockets() {
    return openWebSockets.get();
  }

  /** Bytes of request bodies held in memory now while they are read whole. */
  public long bufferedRequestBytes() {
    return bufferedRequestBytes.get();
  }

  /** Request bodies being streamed upstream now. */
  public int streamedUploads() {
    return streamedUploads.get();
  }

  /** Takes {@code bytes} of the request buffer budget, or returns false when that would pass it. */
  boolean reserveRequestBytes(long bytes) {
    while (true) {
      long now = bufferedRequestBytes.get();
      if (now + bytes > config.requestBufferTotalBytes()) {
        return false;
      }
      if (bufferedRequestBytes.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /**
   * Sends one GET of {@code path} upstream (on a pooled connection, as proxied requests go) and waits at
   * most {@code timeout} for its status: the active health check.
   *
   * @throws TimeoutException when no answer came in time
   * @throws ExecutionException when the upstream could not be reached
   */
  public int probe(String path, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    EventLoop loop = workers.next();
    AtomicReference<Upstream.Call> started = new AtomicReference<>();
    loop.execute(() -> {
      HttpHeaders h = new DefaultHttpHeaders(false);
      h.set(HttpHeaderNames.HOST, forwarding.upstreamHost());
      h.set(HttpHeaderNames.USER_AGENT, "vigil-proxy-health");
      DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, upstreamPath + path,
          Unpooled.EMPTY_BUFFER, h, HttpHeaders.EMPTY_HEADERS);
      started.set(upstream.call(loop, get, new Upstream.Listener() {
        @Override
        public void onHeaders(Upstream.Call call, HttpResponse response) {
          status.complete(response.status().code());
        }

        @Override
        public void onContent(Upstream.Call call, HttpContent content) {
          content.release();
        }

        @Override
        public void onFailure(Upstream.Call call, Throwable failure) {
          status.completeExceptionally(failure);
        }
      }));
    });
    try {
      return status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      loop.execute(() -> {
        Upstream.Call c = started.get();
        if (c != null) {
          c.abort();
        }
      });
      throw e;
    }
  }

  void passiveSuccess() {
    UpstreamHealth h = health;
    if (h != null) {
      h.success();
    }
  }

  void passiveFailure(String error) {
    UpstreamHealth h = health;
    if (h != null) {
      h.failure(error);
    }
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    shutdown();
  }

  private void shutdown() {
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
