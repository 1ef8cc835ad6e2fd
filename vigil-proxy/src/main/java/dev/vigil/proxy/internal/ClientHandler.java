package dev.vigil.proxy.internal;

import com.netflix.concurrency.limits.Limiter;
import dev.vigil.proxy.CacheRule;
import dev.vigil.proxy.internal.ResponseCache.Fill;
import dev.vigil.proxy.internal.ResponseCache.Flight;
import dev.vigil.proxy.internal.ResponseCache.Keyed;
import dev.vigil.proxy.internal.RouteStatsRegistry.CacheOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads one request at a time (the next only once the answer to this one is
 * written, so a client that does not read stops being read), admits it, answers it from the cache or
 * sends it upstream, and streams or gathers the answer back. Runs on the connection's event loop.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
  static final String DECODER = "decoder";
  static final String ENCODER = "encoder";
  static final String IDLE = "idle";
  static final String FLOW = "flow";
  static final String COMPRESS = "compress";
  static final String HANDLER = "proxy";
  /** Response header saying how the cache answered. */
  static final String CACHE_HEADER = "X-Vigil-Cache";
  private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
  /** Largest declared body gathered and written in one go instead of streamed. */
  private static final int SMALL_BODY_BYTES = 8 * 1024;
  /** Longest a connection is read and drained after its last answer when the client is still sending. */
  private static final long LINGER_MS = 2000;
  /** First buffer of a body read whole, taken when its first bytes arrive; it doubles up to the body's length. */
  private static final int FIRST_BUFFER_BYTES = 4096;
  private static final Set<Integer> CACHEABLE_STATUS = Set.of(200, 203, 204, 300, 301, 308, 404, 410);
  private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "date", "age",
      "set-cookie", "x-vigil-cache");

  private enum Body { NONE, WHOLE, STREAM, DISCARD }

  private final ProxyEngine engine;
  private ChannelHandlerContext ctx;
  private String peer;
  private Exchange x;
  private Upstream.Call call;
  private Body body = Body.NONE;
  private boolean requestEnded;
  private boolean keepAlive;
  private boolean responding;
  private boolean closeAfter;
  private boolean readWhenWritable;
  private boolean webSocket;
  /** The answer is out and the connection closes once the client stops sending (or a moment has passed). */
  private boolean lingering;
  /** A read was asked for and nothing has come of it yet. */
  private boolean wantRead;
  /** How deep in nested reads this handler is: answers written at once read the next request within the read. */
  private int depth;
  // a body read whole
  private byte[] whole;
  private int wholeRead;
  private int wholeLength;
  // upload rate
  private long bodyBytes;
  private long waitingSince;
  private long waitedNanos;
  private boolean awaitingBody;
  private ScheduledFuture<?> rateCheck;
  private boolean streamedUpload;

  ClientHandler(ProxyEngine engine) {
    this.engine = engine;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    SocketAddress a = ctx.channel().remoteAddress();
    peer = a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
    read();
  }

  // ------------------------------------------------------------------------------------------------ reading

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    wantRead = false;
    depth++;
    try {
      dispatch(ctx, msg);
    } finally {
      depth--;
    }
  }

  private void dispatch(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest req) {
      if (x != null) {
        // a request before the previous answer ended cannot happen (one is read at a time); drop the connection
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      try {
        onRequest(req);
      } catch (RuntimeException e) {
        LOG.warn("the proxy failed on {} {}", req.method(), req.uri(), e);
        if (x != null && !responding) {
          closeAfter = true;
          error(500, "proxy_error", "the proxy failed on this request: " + e.getMessage());
        } else {
          ctx.close();
        }
      }
    }
    if (msg instanceof HttpRequest) {
      ReferenceCountUtil.release(msg); // a head that is also content is the decoder's invalid message
    } else if (msg instanceof HttpContent content) {
      onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(HttpRequest req) {
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? null : uri.substring(q + 1);
    requestEnded = false;
    responding = false;
    closeAfter = false;
    body = Body.DISCARD;
    keepAlive = HttpUtil.isKeepAlive(req);
    x = new Exchange(req, req.method().name(), path, query, engine.forwarding.client(req.headers(), peer));
    if (req.decoderResult().isFailure()) {
      x.route = "invalid";
      closeAfter = true;
      badRequest(req.decoderResult().cause());
      return;
    }
    if (req.method() == HttpMethod.CONNECT) {
      x.route = "invalid";
      closeAfter = true;
      error(405, "method_not_allowed", "CONNECT is refused: this proxy only forwards to its configured upstream");
      return;
    }
    if (!path.startsWith("/")) {
      x.route = "invalid";
      closeAfter = true;
      error(400, "bad_request_target",
          "only origin-form request targets (/path) are accepted: this proxy only forwards to its configured upstream");
      return;
    }
    x.route = engine.stats.bound(engine.templates.template(path));
    if (engine.stats.admitSample(x.route, engine.clock.millis())) {
      x.sampled = true;
      x.credentials = req.headers().contains(HttpHeaderNames.AUTHORIZATION) || req.headers().contains(HttpHeaderNames.COOKIE);
    }
    if (WebSocketTunnel.isUpgrade(req)) {
      if (admitClient()) {
        webSocket = true;
        body = Body.NONE;
        WebSocketTunnel.open(engine, ctx, req, peer, x, this::webSocketRefused);
      }
      return;
    }
    CacheRule rule = engine.cache == null ? null : engine.cache.rule(x.method, path);
    if (rule != null) {
      Keyed k = engine.cache.key(rule, req.headers(), path, query, engine.forwarding.origin(req.headers(), peer));
      if (k != null) {
        body = Body.NONE;
        read(); // the head's empty last part
        cached(k);
        return;
      }
      x.cache = CacheOutcome.BYPASS;
    }
    if (!admitClient()) {
      return;
    }
    forward();
  }

  /** Goes upstream: reads a small body whole first, streams a larger one, or sends a body-less request at once. */
  private void forward() {
    HttpRequest req = x.request;
    if (!hasBody(req)) {
      body = Body.NONE;
      read(); // the head's empty last part
      send(Unpooled.EMPTY_BUFFER);
      return;
    }
    long len = HttpUtil.getContentLength(req, -1L);
    boolean chunked = HttpUtil.isTransferEncodingChunked(req);
    if (!chunked && len <= engine.config.requestBufferBytes()
        && engine.bufferedRequestBytes.get() < engine.config.requestBufferTotalBytes()) {
      body = Body.WHOLE;
      whole = new byte[0];
      wholeRead = 0;
      wholeLength = (int) len;
      startBodyClock();
      readBody();
      return;
    }
    if (engine.streamedUploads.incrementAndGet() > Math.max(1, engine.limits.limit() / 2)) {
      // bodies streamed upstream hold a slot for as long as the client takes to send them: they may fill
      // at most half the limit, so slow uploads cannot shut out every other request
      engine.streamedUploads.decrementAndGet();
      engine.limits.reject();
      closeAfter = true;
      overloaded();
      return;
    }
    streamedUpload = true;
    Optional<Limiter.Listener> slot = engine.limits.acquire();
    if (slot.isEmpty()) {
      closeAfter = true;
      overloaded();
      return;
    }
    x.slot = slot.get();
    body = Body.STREAM;
    DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, req.method(), upstreamTarget(),
        engine.forwarding.toUpstream(req.headers(), peer, false));
    startBodyClock();
    call = engine.upstream.call(ctx.channel().eventLoop(), head, new Answer());
  }

  /** Sends the request with its whole body (empty for none). */
  private void send(ByteBuf content) {
    Optional<Limiter.Listener> slot = engine.limits.acquire();
    if (slot.isEmpty()) {
      content.release();
      overloaded();
      return;
    }
    x.slot = slot.get();
    HttpRequest req = x.request;
    HttpHeaders headers = engine.forwarding.toUpstream(req.headers(), peer, false);
    headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (content.isReadable() || req.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    }
    DefaultFullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, req.method(), upstreamTarget(),
        content, headers, HttpHeaders.EMPTY_HEADERS);
    call = engine.upstream.call(ctx.channel().eventLoop(), full, new Answer());
  }

  private String upstreamTarget() {
    return engine.upstreamPath + x.request.uri();
  }

  private void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (content.decoderResult().isFailure()) {
      content.release();
      requestEnded = true;
      closeAfter = true;
      abortUpstream();
      if (x != null && !responding) {
        badRequest(content.decoderResult().cause());
      } else {
        ctx.close();
      }
      return;
    }
    if (x == null) {
      // the empty last part of a body-less request answered before it was read: dropped, then the next request
      content.release();
      if (last) {
        requestEnded = true;
      }
      read();
      return;
    }
    if (awaitingBody) {
      awaitingBody = false;
      waitedNanos += System.nanoTime() - waitingSince;
    }
    bodyBytes += content.content().readableBytes();
    switch (body) {
      case WHOLE -> {
        boolean ok = appendWhole(content.content());
        content.release();
        if (!ok) {
          return;
        }
        if (last) {
          requestEnded = true;
          stopBodyClock();
          byte[] b = whole;
          int n = wholeRead;
          endWhole();
          send(Unpooled.wrappedBuffer(b, 0, n));
        } else {
          readBody();
        }
      }
      case STREAM -> {
        if (last) {
          requestEnded = true;
          stopBodyClock();
        }
        Upstream.Call c = call;
        if (c == null) {
          content.release(); // the upstream call has ended; the rest of the body goes nowhere
          if (!last) {
            read();
          }
          return;
        }
        c.write(content);
        if (!last && c.writable()) {
          readBody();
        }
      }
      default -> {
        content.release();
        if (last) {
          requestEnded = true;
        } else if (body == Body.NONE) {
          read();
        }
      }
    }
  }

  /**
   * Asks for the next message. The flow-control handler ends a read that brought no whole message at
   * the end of its read cycle, so a read still wanted then is asked for again ({@link #channelReadComplete}).
   */
  private void read() {
    if (!wantRead) {
      // one read outstanding at most: each read the flow-control handler is asked for delivers a message
      wantRead = true;
      ctx.read();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wantRead) {
      ctx.read();
    }
  }

  private void readBody() {
    if (HttpUtil.is100ContinueExpected(x.request)) {
      // the client waits to be asked for its body: asked once, when it is to be read
      x.request.headers().remove(HttpHeaderNames.EXPECT);
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    awaitingBody = true;
    waitingSince = System.nanoTime();
    read();
  }

  private boolean appendWhole(ByteBuf data) {
    int n = data.readableBytes();
    if (wholeRead + n > wholeLength) {
      closeAfter = true;
      requestEnded = true;
      endWhole();
      error(400, "bad_request", "the request body is longer than its Content-Length of " + wholeLength);
      return false;
    }
    while (wholeRead + n > whole.length) {
      int size = (int) Math.min(wholeLength, Math.max(FIRST_BUFFER_BYTES, 2L * whole.length));
      if (!engine.reserveRequestBytes(size - whole.length)) {
        closeAfter = true;
        requestEnded = true;
        endWhole();
        engine.limits.reject();
        HttpHeaders h = errorHeaders();
        h.set(HttpHeaderNames.RETRY_AFTER, "1");
        error(503, "overloaded", "request bodies being received fill the proxy's buffer of "
            + engine.config.requestBufferTotalBytes() + " bytes (proxy.request_buffer_total_bytes); retry shortly", h);
        return false;
      }
      byte[] larger = new byte[size];
      System.arraycopy(whole, 0, larger, 0, wholeRead);
      whole = larger;
    }
    data.readBytes(whole, wholeRead, n);
    wholeRead += n;
    return true;
  }

  /** Gives a whole body's share of the budget back. */
  private void endWhole() {
    if (whole != null) {
      engine.bufferedRequestBytes.addAndGet(-whole.length);
      whole = null;
    }
  }

  // ------------------------------------------------------------------------------------------------ upload rate

  private void startBodyClock() {
    bodyBytes = 0;
    waitedNanos = 0;
    awaitingBody = false;
    long min = engine.config.minUploadRate();
    if (min > 0) {
      rateCheck = ctx.channel().eventLoop().scheduleAtFixedRate(this::checkRate, 1, 1, TimeUnit.SECONDS);
    }
  }

  private void stopBodyClock() {
    if (rateCheck != null) {
      rateCheck.cancel(false);
      rateCheck = null;
    }
  }

  private void checkRate() {
    if (x == null || requestEnded) {
      stopBodyClock();
      return;
    }
    long waited = waitedNanos + (awaitingBody ? System.nanoTime() - waitingSince : 0);
    if (waited < TimeUnit.SECONDS.toNanos(1)) {
      return;
    }
    double rate = bodyBytes * 1e9 / waited;
    if (rate < engine.config.minUploadRate()) {
      stopBodyClock();
      clientTimeout("the request body arrived at " + Math.round(rate) + " bytes/s, below the minimum of "
          + engine.config.minUploadRate() + " (proxy.limits.min_upload_rate)");
    }
  }

  private void clientTimeout(String why) {
    requestEnded = true;
    closeAfter = true;
    endWhole();
    abortUpstream();
    if (x != null) {
      x.ignore();
    }
    if (responding) {
      ctx.close();
    } else {
      error(408, "client_timeout", "the request body could not be read: " + why);
    }
  }

  private void abortUpstream() {
    Upstream.Call c = call;
    call = null;
    if (c != null) {
      c.abort();
    }
  }

  // ------------------------------------------------------------------------------------------------ admission

  private boolean admitClient() {
    long waitNanos = engine.limits.takeClientToken(x.client);
    if (waitNanos == 0) {
      return true;
    }
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1);
    if (hasBody(x.request)) {
      closeAfter = true;
    } else if (body != Body.NONE) {
      // no body: the connection carries on after this answer, once the head's empty last part is read
      body = Body.NONE;
      read();
    }
    HttpHeaders h = errorHeaders();
    h.set(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
    error(429, "rate_limited", "too many requests from " + x.client + "; retry after " + seconds + " s", h);
    return false;
  }

  /** Whether a request announces a body (chunked, or a positive {@code Content-Length}). */
  private static boolean hasBody(HttpRequest req) {
    return HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
  }

  private void overloaded() {
    HttpHeaders h = errorHeaders();
    h.set(HttpHeaderNames.RETRY_AFTER, "1");
    if (!closeAfter) {
      closeAfter = !requestEnded && body != Body.NONE;
    }
    error(503, "overloaded", "the application is at its concurrency limit (" + engine.limits.limit()
        + " requests in flight); retry shortly", h);
  }

  private void webSocketRefused(int status, String code, String message) {
    webSocket = false;
    closeAfter = true;
    error(status, code, message);
  }

  // ------------------------------------------------------------------------------------------------ cache

  private void cached(Keyed k) {
    long now = engine.clock.millis();
    CachedResponse entry = engine.cache.get(k.key()).orElse(null);
    if (entry != null && entry.fresh(now)) {
      serve(entry, CacheOutcome.HIT, now);
      return;
    }
    if (entry != null && entry.staleWhileRevalidate(now)) {
      refreshInBackground(k, entry);
      serve(entry, CacheOutcome.STALE, now);
      return;
    }
    if (!admitClient()) {
      return;
    }
    Flight flight = engine.cache.join(k.key());
    CompletableFuture<Fill> future = flight.future();
    if (flight.leader()) {
      Optional<Limiter.Listener> slot = engine.limits.acquire();
      if (slot.isEmpty()) {
        engine.cache.complete(k.key(), future, Fill.rejected());
      } else {
        x.slot = slot.get();
        fill(k, entry, future, x);
      }
    }
    Exchange mine = x;
    future.whenComplete((fill, failure) -> ctx.channel().eventLoop().execute(() -> {
      if (x == mine) {
        afterFill(fill, entry, flight.leader());
      }
    }));
  }

  private void afterFill(Fill fill, CachedResponse stale, boolean leader) {
    long now = engine.clock.millis();
    if (fill == null) {
      error(502, "upstream_error", "the cache fill ended without an answer");
    } else if ("rejected".equals(fill.outcome())) {
      if (stale != null && stale.staleIfError(now)) {
        serve(stale, CacheOutcome.STALE_IF_ERROR, now);
      } else {
        overloaded();
      }
    } else if (fill.tooLarge()) {
      x.cache = CacheOutcome.BYPASS;
      forward();
    } else if (fill.error() != null) {
      if (stale != null && stale.staleIfError(now)) {
        serve(stale, CacheOutcome.STALE_IF_ERROR, now);
      } else if (fill.response() != null && leader) {
        serve(fill.response(), CacheOutcome.MISS, now);
      } else if (fill.response() != null) {
        x.cache = CacheOutcome.MISS;
        forward();
      } else {
        upstreamError(fill.timeout(), fill.error());
      }
    } else if (fill.shared() || leader) {
      CacheOutcome outcome = !leader ? CacheOutcome.HIT
          : "REVALIDATED".equals(fill.outcome()) ? CacheOutcome.REVALIDATED : CacheOutcome.MISS;
      serve(fill.response(), outcome, now);
    } else {
      x.cache = CacheOutcome.MISS;
      forward();
    }
  }

  private void refreshInBackground(Keyed k, CachedResponse stale) {
    if (engine.cache.filling(k.key())) {
      return;
    }
    Flight flight = engine.cache.join(k.key());
    if (!flight.leader()) {
      return;
    }
    Optional<Limiter.Listener> slot = engine.limits.acquire();
    if (slot.isEmpty()) {
      engine.cache.complete(k.key(), flight.future(), Fill.rejected());
      return;
    }
    Exchange bg = new Exchange(x.request, x.method, x.path, x.query, x.client);
    bg.route = x.route;
    bg.slot = slot.get();
    fill(k, stale, flight.future(), bg);
  }

  /** Sends one GET for a cache key upstream, buffering at most the largest cacheable body. */
  private void fill(Keyed k, CachedResponse stale, CompletableFuture<Fill> future, Exchange owner) {
    HttpHeaders h = engine.forwarding.toUpstream(owner.request.headers(), peer, false);
    for (String name : List.of("Accept-Encoding", "If-None-Match", "If-Modified-Since", "If-Match", "If-Range",
        "Content-Length", "Content-Type", "Transfer-Encoding")) {
      h.remove(name);
    }
    if (stale != null && stale.upstreamEtag() != null) {
      h.set(HttpHeaderNames.IF_NONE_MATCH, stale.upstreamEtag());
    }
    if (stale != null && stale.lastModified() != null) {
      h.set(HttpHeaderNames.IF_MODIFIED_SINCE, stale.lastModified());
    }
    DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        engine.upstreamPath + owner.request.uri(), Unpooled.EMPTY_BUFFER, h, HttpHeaders.EMPTY_HEADERS);
    long max = engine.config.maxCacheObjectBytes();
    String route = owner.route;
    engine.upstream.call(ctx.channel().eventLoop(), get, new Upstream.Listener() {
      private final ByteArrayOutputStream gathered = new ByteArrayOutputStream();
      private HttpResponse head;

      @Override
      public void onHeaders(Upstream.Call c, HttpResponse response) {
        int status = response.status().code();
        owner.release(status == 503 || status == 504);
        engine.passiveSuccess();
        head = response;
        long len = HttpUtil.getContentLength(response, -1L);
        if (len > max) {
          c.abort();
          engine.cache.complete(k.key(), future, Fill.large());
        }
      }

      @Override
      public void onContent(Upstream.Call c, HttpContent content) {
        try {
          ByteBuf b = content.content();
          if (gathered.size() + b.readableBytes() > max) {
            c.abort();
            engine.cache.complete(k.key(), future, Fill.large());
            return;
          }
          append(gathered, b);
        } finally {
          content.release();
        }
        if (content instanceof LastHttpContent) {
          Fill f;
          try {
            f = filled(head, gathered.toByteArray(), k, stale, route);
          } catch (RuntimeException e) {
            LOG.warn("proxy cache: storing {} failed", k.key(), e);
            f = Fill.failed("storing the response failed: " + e.getMessage(), false, null);
          }
          engine.cache.complete(k.key(), future, f);
        }
      }

      @Override
      public void onFailure(Upstream.Call c, Throwable failure) {
        owner.ignore();
        passiveFailure(failure);
        engine.cache.complete(k.key(), future, Fill.failed(describe(failure), failure instanceof TimeoutException, null));
      }
    });
  }

  private Fill filled(HttpResponse r, byte[] bytes, Keyed k, CachedResponse stale, String route) {
    long now = engine.clock.millis();
    HttpHeaders h = r.headers();
    CacheRule rule = k.rule();
    CacheControl cc = CacheControl.parse(h.get(HttpHeaderNames.CACHE_CONTROL));
    long fresh = cc.sMaxAge() >= 0 ? cc.sMaxAge() * 1000 : cc.maxAge() >= 0 ? cc.maxAge() * 1000 : rule.ttl().toMillis();
    long swr = cc.mustRevalidate() ? 0 : cc.staleWhileRevalidate() >= 0 ? cc.staleWhileRevalidate() * 1000
        : rule.staleWhileRevalidate().toMillis();
    long sie = cc.mustRevalidate() ? 0 : cc.staleIfError() >= 0 ? cc.staleIfError() * 1000 : rule.staleIfError().toMillis();
    int status = r.status().code();
    if (status == 304 && stale != null) {
      CachedResponse renewed = stale.renewed(now, fresh, swr, sie);
      if (!cc.noStore() && fresh > 0) {
        engine.cache.put(k.key(), renewed, rule, route);
      }
      return new Fill(renewed, true, false, null, false, "REVALIDATED");
    }
    List<String> headers = new ArrayList<>();
    Set<String> connectionListed = Forwarding.connectionListed(h);
    String upstreamEtag = null;
    String lastModified = null;
    for (Map.Entry<String, String> f : h) {
      String name = f.getKey().toLowerCase(Locale.ROOT);
      if (NOT_STORED.contains(name) || connectionListed.contains(name)
          || name.equalsIgnoreCase(engine.config.userIdHeader())) {
        continue;
      }
      if (name.equals("etag")) {
        upstreamEtag = f.getValue();
        continue;
      }
      if (name.equals("last-modified")) {
        lastModified = f.getValue();
      }
      headers.add(f.getKey());
      headers.add(f.getValue());
    }
    String etag = upstreamEtag != null ? upstreamEtag : ResponseCache.etagOf(bytes, 0, bytes.length);
    CachedResponse entry = new CachedResponse(status, List.copyOf(headers), bytes, now, fresh, swr, sie, etag,
        upstreamEtag, lastModified);
    if (status >= 500) {
      return Fill.failed("upstream answered " + status, status == 504, entry);
    }
    boolean personal = h.contains(HttpHeaderNames.SET_COOKIE) || (cc.isPrivate() && !rule.perUser());
    boolean storable = !personal && !cc.noStore() && !cc.noCache() && fresh > 0
        && CACHEABLE_STATUS.contains(status) && varyCovered(h, rule);
    if (storable) {
      engine.cache.put(k.key(), entry, rule, route);
    }
    return new Fill(entry, storable, false, null, false, null);
  }

  private static boolean varyCovered(HttpHeaders h, CacheRule rule) {
    for (String name : varyNames(h)) {
      if (name.equals("*")) {
        return false;
      }
      if (!name.equals("accept-encoding") && !rule.vary().contains(name)
          && !(rule.perUser() && (name.equals("cookie") || name.equals("authorization")))) {
        return false;
      }
    }
    return true;
  }

  /** The header names an answer's {@code Vary} lists, lower case. */
  private static List<String> varyNames(HttpHeaders h) {
    List<String> out = new ArrayList<>();
    for (String v : h.getAll(HttpHeaderNames.VARY)) {
      for (String part : v.split(",")) {
        String name = part.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** Answers from a cached copy, as one write. */
  private void serve(CachedResponse e, CacheOutcome outcome, long now) {
    x.cache = outcome;
    boolean head = x.request.method() == HttpMethod.HEAD;
    if (x.sampled && x.request.method() == HttpMethod.GET && e.status() >= 200 && e.status() < 300) {
      CRC32C crc = new CRC32C();
      crc.update(e.body());
      x.answer = RouteStatsRegistry.checksum(crc, e.body().length);
    }
    boolean notModified = ResponseCache.noneMatch(x.request.headers().get(HttpHeaderNames.IF_NONE_MATCH), e.etag());
    int status = notModified ? 304 : e.status();
    ByteBuf content = notModified || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(e.body());
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
    HttpHeaders h = r.headers();
    List<String> stored = e.headers();
    for (int i = 0; i + 1 < stored.size(); i += 2) {
      h.add(stored.get(i), stored.get(i + 1));
    }
    h.set(HttpHeaderNames.ETAG, e.etag());
    h.set(HttpHeaderNames.AGE, Long.toString(e.ageSeconds(now)));
    h.set(CACHE_HEADER, outcome.name().replace('_', '-'));
    if (outcome == CacheOutcome.STALE_IF_ERROR) {
      h.set(HttpHeaderNames.WARNING, "111 - \"Revalidation Failed\"");
    }
    if (!notModified) {
      h.set(HttpHeaderNames.CONTENT_LENGTH, e.body().length);
    }
    x.bytes = content.readableBytes();
    answer(r, status);
  }

  // ------------------------------------------------------------------------------------------------ the upstream's answer

  /** The answer to a request sent upstream: streamed to the client, or gathered first when small or given an ETag. */
  private final class Answer implements Upstream.Listener {
    private HttpResponse gatheredHead;
    private ByteArrayOutputStream gathered;
    private long gatherMax;
    private boolean etag;

    @Override
    public void onSent(Upstream.Call c) {
      if (body == Body.STREAM && !requestEnded) {
        readBody();
      }
    }

    @Override
    public void onWritable(Upstream.Call c) {
      if (body == Body.STREAM && !requestEnded && !awaitingBody) {
        readBody();
      }
    }

    @Override
    public void onHeaders(Upstream.Call c, HttpResponse response) {
      int status = response.status().code();
      x.release(status == 503 || status == 504);
      engine.passiveSuccess();
      HttpHeaders h = response.headers();
      boolean chunked = HttpUtil.isTransferEncodingChunked(response);
      Forwarding.fromUpstream(h);
      h.remove(HttpHeaderNames.TRANSFER_ENCODING);
      String user = h.get(engine.config.userIdHeader());
      if (user != null) {
        h.remove(engine.config.userIdHeader());
        x.userId = user.length() > 128 ? user.substring(0, 128) : user;
      }
      String type = h.get(HttpHeaderNames.CONTENT_TYPE);
      boolean eventStream = type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
      if (x.sampled) {
        x.personal = personal(h);
        if (x.request.method() == HttpMethod.GET && status >= 200 && status < 300 && !eventStream) {
          x.checksum = new CRC32C();
        }
      }
      long len = chunked ? -1 : HttpUtil.getContentLength(response, -1L);
      etag = wantsEtag(response, len, eventStream);
      if (etag || small(status, len, eventStream)) {
        gatheredHead = response;
        gathered = new ByteArrayOutputStream((int) Math.max(0, len));
        gatherMax = etag ? engine.config.etagMaxBytes() : len;
        return;
      }
      boolean head = x.request.method() == HttpMethod.HEAD;
      boolean bodyless = head || status == 204 || status == 304 || status < 200;
      if (!bodyless && len < 0) {
        HttpUtil.setTransferEncodingChunked(response, true);
      }
      DefaultHttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), h);
      keepAliveHeaders(out.headers());
      responding = true;
      x.status = status;
      ctx.writeAndFlush(out).addListener(ClientHandler.this::writeFailed);
    }

    @Override
    public void onContent(Upstream.Call c, HttpContent content) {
      ByteBuf b = content.content();
      boolean last = content instanceof LastHttpContent;
      if (x.checksum != null) {
        if (x.checksumBytes + b.readableBytes() > engine.config.maxCacheObjectBytes()) {
          x.checksum = null;
        } else {
          x.checksum.update(b.nioBuffer());
          x.checksumBytes += b.readableBytes();
        }
      }
      if (gathered != null) {
        try {
          if (gathered.size() + b.readableBytes() > gatherMax) {
            c.abort();
            onFailure(c, new IOException("the upstream sent more than its Content-Length"));
            return;
          }
          append(gathered, b);
        } finally {
          content.release();
        }
        if (last) {
          call = null;
          answerGathered();
        }
        return;
      }
      x.bytes += b.readableBytes();
      if (last) {
        call = null;
        takeChecksum();
        ctx.writeAndFlush(content).addListener(f -> {
          if (f.isSuccess()) {
            finish();
          } else {
            writeFailed(f);
          }
        });
        return;
      }
      ctx.writeAndFlush(content).addListener(ClientHandler.this::writeFailed);
      if (!ctx.channel().isWritable()) {
        c.pause(); // until the client takes what it was sent (channelWritabilityChanged)
      }
    }

    private void answerGathered() {
      takeChecksum();
      byte[] bytes = gathered.toByteArray();
      gathered = null;
      HttpHeaders h = gatheredHead.headers();
      int status = gatheredHead.status().code();
      if (etag) {
        String tag = ResponseCache.etagOf(bytes, 0, bytes.length);
        h.set(HttpHeaderNames.ETAG, tag);
        if (ResponseCache.noneMatch(x.request.headers().get(HttpHeaderNames.IF_NONE_MATCH), tag)) {
          FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
              Unpooled.EMPTY_BUFFER, h, HttpHeaders.EMPTY_HEADERS);
          h.remove(HttpHeaderNames.CONTENT_LENGTH);
          answer(r, 304);
          return;
        }
      }
      h.set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, gatheredHead.status(),
          Unpooled.wrappedBuffer(bytes), h, HttpHeaders.EMPTY_HEADERS);
      x.bytes = bytes.length;
      answer(r, status);
    }

    @Override
    public void onFailure(Upstream.Call c, Throwable failure) {
      call = null;
      gathered = null;
      if (failure instanceof TimeoutException) {
        x.release(true);
      } else {
        x.ignore();
      }
      passiveFailure(failure);
      if (body == Body.STREAM && !requestEnded) {
        closeAfter = true;
      }
      if (responding) {
        ctx.close();
        return;
      }
      upstreamError(failure instanceof TimeoutException, describe(failure));
    }
  }

  /** Copies what {@code b} holds to the end of {@code out}. */
  private static void append(ByteArrayOutputStream out, ByteBuf b) {
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    out.writeBytes(bytes);
  }

  private void takeChecksum() {
    if (x.checksum != null) {
      x.answer = RouteStatsRegistry.checksum(x.checksum, x.checksumBytes);
      x.checksum = null;
    }
  }

  private boolean small(int status, long len, boolean eventStream) {
    return len > 0 && len <= SMALL_BODY_BYTES && status >= 200 && status != 204 && status != 304
        && x.request.method() != HttpMethod.HEAD && !eventStream;
  }

  private boolean wantsEtag(HttpResponse r, long len, boolean eventStream) {
    if (x.request.method() != HttpMethod.GET || r.status().code() != 200 || eventStream) {
      return false;
    }
    HttpHeaders h = r.headers();
    if (h.contains(HttpHeaderNames.ETAG) || h.contains(HttpHeaderNames.CONTENT_ENCODING)
        || h.contains(HttpHeaderNames.SET_COOKIE)) {
      return false;
    }
    return len > engine.config.compressMinBytes() && len <= engine.config.etagMaxBytes();
  }

  /**
   * Whether an answer is personal or may not be stored: {@code Set-Cookie}, {@code Cache-Control}
   * private, no-store or no-cache, or {@code Vary} on {@code Cookie}, {@code Authorization} or {@code *}.
   */
  private static boolean personal(HttpHeaders h) {
    if (h.contains(HttpHeaderNames.SET_COOKIE)) {
      return true;
    }
    CacheControl cc = CacheControl.parse(h.get(HttpHeaderNames.CACHE_CONTROL));
    if (cc.isPrivate() || cc.noStore() || cc.noCache()) {
      return true;
    }
    for (String name : varyNames(h)) {
      if (name.equals("*") || name.equals("cookie") || name.equals("authorization")) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------------ answering

  /** Writes a whole answer; the exchange ends when it is written. */
  private void answer(FullHttpResponse r, int status) {
    keepAliveHeaders(r.headers());
    responding = true;
    x.status = status;
    ctx.writeAndFlush(r).addListener(f -> {
      if (f.isSuccess()) {
        finish();
      } else {
        writeFailed(f);
      }
    });
  }

  private void keepAliveHeaders(HttpHeaders h) {
    boolean close = closeAfter || !keepAlive || (body == Body.STREAM && !requestEnded) || body == Body.DISCARD && !requestEnded;
    if (close) {
      closeAfter = true;
      h.set(HttpHeaderNames.CONNECTION, "close");
    } else if (x.request.protocolVersion() == HttpVersion.HTTP_1_0) {
      h.set(HttpHeaderNames.CONNECTION, "keep-alive");
    }
  }

  private void writeFailed(Future<? super Void> f) {
    if (!f.isSuccess() && ctx.channel().isActive()) {
      LOG.debug("writing to the client failed", f.cause());
      ctx.close();
    }
  }

  /** The answer is written: records the exchange and reads the next request, or closes. */
  private void finish() {
    Exchange done = x;
    if (done == null) {
      return;
    }
    x = null;
    call = null;
    stopBodyClock();
    endWhole();
    if (streamedUpload) {
      streamedUpload = false;
      engine.streamedUploads.decrementAndGet();
    }
    done.ignore();
    record(done);
    if (closeAfter || !requestEnded && body != Body.NONE) {
      lingerAndClose();
      return;
    }
    body = Body.NONE;
    if (!ctx.channel().isWritable()) {
      readWhenWritable = true;
    } else if (depth > 2) {
      // pipelined requests answered at once would otherwise nest one read in another, request after request
      ctx.channel().eventLoop().execute(this::read);
    } else {
      read();
    }
  }

  /**
   * Closes a connection whose client is still sending a body nobody will read: the answer is out, so
   * the proxy stops writing, reads and drops what still comes for up to {@value #LINGER_MS} ms, then
   * closes. Closing at once would make the kernel reset the connection, and a client still sending
   * would lose the answer with it (the lingering close of HTTP/1.1 servers).
   */
  private void lingerAndClose() {
    lingering = true;
    if (ctx.channel() instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    }
    ctx.channel().config().setAutoRead(true);
    ctx.channel().eventLoop().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
  }

  private void record(Exchange done) {
    try {
      engine.finished.accept(done);
    } catch (RuntimeException e) {
      LOG.warn("recording {} {} failed", done.method, done.path, e);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      if (readWhenWritable) {
        readWhenWritable = false;
        read();
      }
      Upstream.Call c = call;
      if (c != null) {
        c.resume();
      }
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == RequestDecoder.HEAD_TIMEOUT) {
      // a head still arriving after the header timeout; one pipelined behind a request in flight waits for it
      if (x == null) {
        ctx.close();
      }
      return;
    }
    if (evt instanceof IdleStateEvent) {
      if (x == null || webSocket) {
        if (!webSocket) {
          ctx.close();
        }
      } else if (awaitingBody && !requestEnded) {
        clientTimeout("nothing arrived for " + engine.config.readTimeout().toMillis() + " ms");
      } else if (responding && !ctx.channel().isWritable()) {
        ctx.close(); // the client stopped reading its answer
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stopBodyClock();
    endWhole();
    abortUpstream();
    if (streamedUpload) {
      streamedUpload = false;
      engine.streamedUploads.decrementAndGet();
    }
    Exchange left = x;
    x = null;
    if (left != null && !webSocket) {
      left.ignore();
      if (left.status == 0) {
        left.status = 499;
      }
      record(left);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("client connection from {} failed", peer, cause);
    ctx.close();
  }

  // ------------------------------------------------------------------------------------------------ errors

  private void badRequest(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      error(431, "request_header_fields_too_large", "the request head is larger than "
          + engine.config.maxRequestHeaderBytes() + " bytes (proxy.max_request_header_bytes)");
    } else if (cause instanceof TooLongHttpLineException) {
      error(414, "uri_too_long", "the request line is longer than 8192 bytes");
    } else if (cause instanceof TooLongFrameException) {
      error(400, "bad_request", "the request is malformed: " + cause.getMessage());
    } else {
      error(400, "bad_request", "the request is malformed: " + (cause == null ? "unknown" : cause.getMessage()));
    }
  }

  private void upstreamError(boolean timeout, String detail) {
    if (timeout) {
      error(504, "upstream_timeout", "the application at " + engine.upstreamBase + " did not answer in time: " + detail);
    } else {
      error(502, "upstream_unavailable", "the application at " + engine.upstreamBase + " could not be reached: " + detail);
    }
  }

  private void passiveFailure(Throwable t) {
    if (t instanceof ConnectException || t instanceof TimeoutException || t.getCause() instanceof ConnectException) {
      engine.passiveFailure(describe(t));
    }
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static HttpHeaders errorHeaders() {
    return new DefaultHttpHeaders(false);
  }

  private void error(int status, String code, String message) {
    error(status, code, message, errorHeaders());
  }

  /** Answers with a JSON error of the proxy's own. */
  private void error(int status, String code, String message, HttpHeaders h) {
    if (x == null) {
      ctx.close();
      return;
    }
    String json = "{\"error\":\"" + code + "\",\"status\":" + status + ",\"message\":\"" + escape(message)
        + "\",\"source\":\"vigil-proxy\"}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    h.set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    boolean head = x.request.method() == HttpMethod.HEAD;
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes), h, HttpHeaders.EMPTY_HEADERS);
    x.bytes = head ? 0 : bytes.length;
    answer(r, status);
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
