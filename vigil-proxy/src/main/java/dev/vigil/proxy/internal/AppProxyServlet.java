package dev.vigil.proxy.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netflix.concurrency.limits.Limiter;
import dev.vigil.proxy.CacheRule;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.internal.ResponseCache.Fill;
import dev.vigil.proxy.internal.ResponseCache.Flight;
import dev.vigil.proxy.internal.ResponseCache.Keyed;
import dev.vigil.proxy.internal.RouteStatsRegistry.CacheOutcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.proxy.AsyncProxyServlet;
import org.eclipse.jetty.server.HttpOutput;
import org.eclipse.jetty.util.Callback;

/**
 * The proxy's request handling, on Jetty's asynchronous proxy servlet (streaming both ways, hop-by-hop
 * headers removed, redirects not followed, cookies not kept): only ever to the configured upstream,
 * with admission limits, the response cache and ETags for uncached bodies.
 */
public final class AppProxyServlet extends AsyncProxyServlet {
  /** Request attribute holding the {@link Exchange}. */
  public static final String EXCHANGE = "vigil.proxy.exchange";
  /** Response header saying how the cache answered. */
  public static final String CACHE_HEADER = "X-Vigil-Cache";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FORWARDING = Set.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
      "x-forwarded-server", "x-forwarded-port", "forwarded", "x-real-ip");
  private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "date", "age",
      "set-cookie", "x-vigil-cache");
  /** Largest declared body gathered and written in one go instead of streamed (see {@code small}). */
  private static final int SMALL_BODY_BYTES = 8 * 1024;
  private static final Set<Integer> CACHEABLE_STATUS = Set.of(200, 203, 204, 300, 301, 308, 404, 410);

  private final ProxyConfig config;
  private final String upstreamBase;
  private final Clock clock;
  private final RouteTemplates templates;
  private final RouteStatsRegistry stats;
  private final ResponseCache cache;
  private final Limits limits;
  private final Cidrs trusted;
  private final WebSocketTunnel webSockets;
  private final AtomicLong bufferedRequestBytes = new AtomicLong();
  private final AtomicInteger streamedUploads = new AtomicInteger();
  private volatile UpstreamHealth health;

  /** Per-request state. */
  public static final class Exchange {
    final long startNanos = System.nanoTime();
    String route;
    String client;
    CacheOutcome cache = CacheOutcome.NONE;
    Limiter.Listener slot;
    boolean fallthrough;
    volatile boolean clientFailed;
    String userId;
    byte[] requestBody;
    ByteArrayOutputStream body;
    long bodyMax;
    boolean etag;
    boolean sampled;
    boolean credentials;
    boolean personal;
    CRC32C checksum;
    long checksumBytes;
    Long answer;

    /** When the request arrived ({@link System#nanoTime()}). */
    public long startNanos() {
      return startNanos;
    }

    /** Route template. */
    public String route() {
      return route;
    }

    /** Client address. */
    public String client() {
      return client;
    }

    /** Cache outcome. */
    public CacheOutcome cache() {
      return cache;
    }

    /** User named by the upstream, or null. */
    public String userId() {
      return userId;
    }

    /** Whether the request is kept as a sample of its route. */
    public boolean sampled() {
      return sampled;
    }

    /** Checksum of the body answered to a sampled request, or null when not taken. */
    public Long answer() {
      return answer;
    }

    /** Whether a sampled request carried Authorization or Cookie. */
    public boolean credentials() {
      return credentials;
    }

    /** Whether a sampled request's answer was personal or not storable (see {@code RouteSample}). */
    public boolean personal() {
      return personal;
    }

    void release(boolean dropped) {
      Limiter.Listener s = slot;
      slot = null;
      if (s != null) {
        if (dropped) {
          s.onDropped();
        } else {
          s.onSuccess();
        }
      }
    }

    void ignore() {
      Limiter.Listener s = slot;
      slot = null;
      if (s != null) {
        s.onIgnore();
      }
    }
  }

  /** A servlet proxying to {@code config.upstream()}. */
  public AppProxyServlet(ProxyConfig config, Clock clock, RouteStatsRegistry stats, ResponseCache cache, Limits limits) {
    this.config = config;
    URI u = config.upstream();
    this.upstreamBase = "http://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
        + (u.getRawPath() == null ? "" : u.getRawPath());
    this.clock = clock;
    this.templates = new RouteTemplates(config.routes());
    this.stats = stats;
    this.cache = cache;
    this.limits = limits;
    this.trusted = new Cidrs(config.trustedProxies());
    this.webSockets = new WebSocketTunnel(config, this::forwardingHeaders);
  }

  /** Wires the health tracker (created once the client exists). */
  public void health(UpstreamHealth h) {
    this.health = h;
  }

  /** The servlet's HTTP client towards the upstream. */
  public HttpClient client() {
    return getHttpClient();
  }

  /** WebSocket tunnels open now. */
  public int openWebSockets() {
    return webSockets.open();
  }

  /** Bytes of request bodies being read whole now, before they go upstream. */
  public long bufferedRequestBytes() {
    return bufferedRequestBytes.get();
  }

  /** Request bodies being streamed upstream now. */
  public int streamedUploads() {
    return streamedUploads.get();
  }

  @Override
  protected HttpClient newHttpClient() {
    HttpClient c = super.newHttpClient();
    c.setConnectTimeout(config.connectTimeout().toMillis());
    c.setMaxRequestsQueuedPerDestination(4096);
    return c;
  }

  // ------------------------------------------------------------------------------------------------ entry

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
    Exchange x = (Exchange) req.getAttribute(EXCHANGE);
    if (x != null && x.fallthrough) {
      x.fallthrough = false;
      stream(req, resp, x);
      return;
    }
    x = new Exchange();
    req.setAttribute(EXCHANGE, x);
    String method = req.getMethod();
    org.eclipse.jetty.server.Request base = org.eclipse.jetty.server.Request.getBaseRequest(req);
    String path = req.getRequestURI();
    x.client = clientAddress(req);
    if ("CONNECT".equals(method)) {
      x.route = "invalid";
      error(resp, x, 405, "method_not_allowed", "CONNECT is refused: this proxy only forwards to its configured upstream");
      return;
    }
    if (base != null && base.getMetaData() != null && base.getMetaData().getURI().isAbsolute() || path == null || !path.startsWith("/")) {
      x.route = "invalid";
      error(resp, x, 400, "bad_request_target",
          "only origin-form request targets (/path) are accepted: this proxy only forwards to its configured upstream");
      return;
    }
    x.route = stats.bound(templates.template(path));
    if (stats.admitSample(x.route, clock.millis())) {
      x.sampled = true;
      x.credentials = req.getHeader("Authorization") != null || req.getHeader("Cookie") != null;
    }
    if (WebSocketTunnel.isUpgrade(req)) {
      if (!admitClient(req, resp, x)) {
        return;
      }
      webSockets.tunnel(req, resp, upstreamBase, x);
      return;
    }
    CacheRule rule = cache == null ? null : cache.rule(method, path);
    if (rule != null) {
      Keyed k = cache.key(rule, req, path, req.getQueryString(), forwardedOrigin(req));
      if (k != null) {
        cached(req, resp, x, k);
        return;
      }
      x.cache = CacheOutcome.BYPASS;
    }
    if (!admitClient(req, resp, x)) {
      return;
    }
    if (readWhole(req, resp, x)) {
      return;
    }
    stream(req, resp, x);
  }

  /**
   * Starts reading a small request body whole (its declared length at most
   * {@code proxy.request_buffer_bytes}); when it has arrived the request comes back through
   * {@link #service} and goes upstream with it. Memory is taken from the budget of all requests
   * ({@code proxy.request_buffer_total_bytes}) as the bytes arrive, so clients that announce bodies and
   * send nothing hold none; a body that would go past the budget gets 503. Returns false when the body
   * is to be streamed instead (the budget is spent now).
   */
  private boolean readWhole(HttpServletRequest req, HttpServletResponse resp, Exchange x) throws IOException {
    long len = req.getContentLengthLong();
    if (len <= 0 || len > config.requestBufferBytes() || bufferedRequestBytes.get() >= config.requestBufferTotalBytes()) {
      return false;
    }
    AsyncContext async = startAsync(req);
    ServletInputStream in = req.getInputStream();
    in.setReadListener(new WholeBody(resp, x, async, in, (int) len));
    return true;
  }

  /** Reads one request body into memory, growing its buffer (and its share of the budget) as bytes arrive. */
  private final class WholeBody implements ReadListener {
    /** First buffer of a body, taken when its first bytes arrive; it doubles from there up to the body's length. */
    private static final int FIRST_BUFFER_BYTES = 4096;
    private final HttpServletResponse resp;
    private final Exchange x;
    private final AsyncContext async;
    private final ServletInputStream in;
    private final int length;
    private byte[] body = new byte[0];
    private int read;
    private boolean ended;

    WholeBody(HttpServletResponse resp, Exchange x, AsyncContext async, ServletInputStream in, int length) {
      this.resp = resp;
      this.x = x;
      this.async = async;
      this.in = in;
      this.length = length;
    }

    @Override
    public void onDataAvailable() throws IOException {
      // read on to the end of the input: onAllDataRead comes once a read has returned -1
      while (!ended && in.isReady()) {
        if (read == length) {
          if (in.read() >= 0) {
            throw new IOException("the request body is longer than its Content-Length of " + length);
          }
          return;
        }
        if (read == body.length && !grow()) {
          refuse();
          return;
        }
        int n = in.read(body, read, body.length - read);
        if (n < 0) {
          return;
        }
        read += n;
      }
    }

    private boolean grow() {
      int size = (int) Math.min(length, Math.max(FIRST_BUFFER_BYTES, 2L * body.length));
      if (!reserveRequestBytes(size - body.length)) {
        return false;
      }
      byte[] larger = new byte[size];
      System.arraycopy(body, 0, larger, 0, read);
      body = larger;
      return true;
    }

    private void refuse() {
      end();
      x.ignore();
      limits.reject();
      resp.setHeader("Retry-After", "1");
      resp.setHeader("Connection", "close");
      error(resp, x, 503, "overloaded", "request bodies being received fill the proxy's buffer of "
          + config.requestBufferTotalBytes() + " bytes (proxy.request_buffer_total_bytes); retry shortly");
      async.complete();
    }

    @Override
    public void onAllDataRead() {
      if (ended) {
        return;
      }
      byte[] whole = body;
      end();
      x.requestBody = whole;
      x.fallthrough = true;
      async.dispatch();
    }

    @Override
    public void onError(Throwable failure) {
      if (ended) {
        return;
      }
      end();
      x.ignore();
      int status = clientRequestStatus(failure);
      error(resp, x, status, status == 408 ? "client_timeout" : "bad_request",
          "the request body could not be read: " + describe(failure));
      async.complete();
    }

    /** Gives the buffer's share of the budget back; the body itself goes upstream or is dropped. */
    private void end() {
      ended = true;
      bufferedRequestBytes.addAndGet(-body.length);
      body = null;
    }
  }

  private boolean reserveRequestBytes(long len) {
    while (true) {
      long now = bufferedRequestBytes.get();
      if (now + len > config.requestBufferTotalBytes()) {
        return false;
      }
      if (bufferedRequestBytes.compareAndSet(now, now + len)) {
        return true;
      }
    }
  }

  private boolean admitClient(HttpServletRequest req, HttpServletResponse resp, Exchange x) {
    long waitNanos = limits.takeClientToken(x.client);
    if (waitNanos == 0) {
      return true;
    }
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1);
    resp.setHeader("Retry-After", Long.toString(seconds));
    error(resp, x, 429, "rate_limited", "too many requests from " + x.client + "; retry after " + seconds + " s");
    return false;
  }

  private void stream(HttpServletRequest req, HttpServletResponse resp, Exchange x) throws ServletException, IOException {
    boolean upload = x.requestBody == null && hasContent(req);
    if (upload && streamedUploads.incrementAndGet() > Math.max(1, limits.limit() / 2)) {
      // bodies streamed upstream hold a slot for as long as the client takes to send them: they may fill
      // at most half the limit, so slow uploads cannot shut out every other request
      streamedUploads.decrementAndGet();
      limits.reject();
      overloaded(req, resp, x);
      return;
    }
    Optional<Limiter.Listener> slot = limits.acquire();
    if (slot.isEmpty()) {
      if (upload) {
        streamedUploads.decrementAndGet();
      }
      overloaded(req, resp, x);
      return;
    }
    x.slot = slot.get();
    try {
      super.service(req, resp);
    } finally {
      if (upload) {
        if (req.isAsyncStarted()) {
          req.getAsyncContext().addListener(new UploadEnded());
        } else {
          streamedUploads.decrementAndGet();
        }
      }
    }
  }

  /** Counts a streamed upload as ended when its exchange completes, however it ends. */
  private final class UploadEnded implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      streamedUploads.decrementAndGet();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
    }

    @Override
    public void onError(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
  }

  @Override
  protected Request.Content proxyRequestContent(HttpServletRequest req, HttpServletResponse resp, Request proxyRequest)
      throws IOException {
    Exchange x = (Exchange) req.getAttribute(EXCHANGE);
    if (x != null && x.requestBody != null) {
      return new BytesRequestContent(x.requestBody);
    }
    return super.proxyRequestContent(req, resp, proxyRequest);
  }

  private void overloaded(HttpServletRequest req, HttpServletResponse resp, Exchange x) {
    resp.setHeader("Retry-After", "1");
    error(resp, x, 503, "overloaded", "the application is at its concurrency limit (" + limits.limit()
        + " requests in flight); retry shortly");
    completeIfAsync(req);
  }

  // ------------------------------------------------------------------------------------------------ cache

  private void cached(HttpServletRequest req, HttpServletResponse resp, Exchange x, Keyed k) throws IOException {
    long now = clock.millis();
    CachedResponse entry = cache.get(k.key()).orElse(null);
    if (entry != null && entry.fresh(now)) {
      serve(req, resp, x, entry, CacheOutcome.HIT, now, startAsync(req));
      return;
    }
    if (entry != null && entry.staleWhileRevalidate(now)) {
      refreshInBackground(req, k, entry, x.route);
      serve(req, resp, x, entry, CacheOutcome.STALE, now, startAsync(req));
      return;
    }
    if (!admitClient(req, resp, x)) {
      return;
    }
    Flight flight = cache.join(k.key());
    AsyncContext async = startAsync(req);
    CompletableFuture<Fill> future = flight.future();
    if (flight.leader()) {
      Optional<Limiter.Listener> slot = limits.acquire();
      if (slot.isEmpty()) {
        cache.complete(k.key(), future, Fill.rejected());
      } else {
        x.slot = slot.get();
        fill(req, k, entry, x.route, future, x);
      }
    }
    CachedResponse stale = entry;
    future.whenComplete((fill, failure) -> afterFill(req, resp, x, async, fill, stale, flight.leader()));
  }

  private void afterFill(HttpServletRequest req, HttpServletResponse resp, Exchange x, AsyncContext async, Fill fill,
      CachedResponse stale, boolean leader) {
    long now = clock.millis();
    try {
      if (fill == null) {
        error(resp, x, 502, "upstream_error", "the cache fill ended without an answer");
      } else if ("rejected".equals(fill.outcome())) {
        if (stale != null && stale.staleIfError(now)) {
          serve(req, resp, x, stale, CacheOutcome.STALE_IF_ERROR, now, async);
          return;
        }
        overloaded(req, resp, x);
        return;
      } else if (fill.tooLarge()) {
        x.cache = CacheOutcome.BYPASS;
        x.fallthrough = true;
        async.dispatch();
        return;
      } else if (fill.error() != null) {
        if (stale != null && stale.staleIfError(now)) {
          serve(req, resp, x, stale, CacheOutcome.STALE_IF_ERROR, now, async);
          return;
        } else if (fill.response() != null && leader) {
          x.cache = CacheOutcome.MISS;
          serve(req, resp, x, fill.response(), CacheOutcome.MISS, now, async);
          return;
        } else if (fill.response() != null) {
          x.cache = CacheOutcome.MISS;
          x.fallthrough = true;
          async.dispatch();
          return;
        } else {
          upstreamError(resp, x, fill.timeout(), fill.error());
        }
      } else if (fill.shared() || leader) {
        CacheOutcome outcome = !leader ? CacheOutcome.HIT
            : "REVALIDATED".equals(fill.outcome()) ? CacheOutcome.REVALIDATED : CacheOutcome.MISS;
        serve(req, resp, x, fill.response(), outcome, now, async);
        return;
      } else {
        x.fallthrough = true;
        async.dispatch();
        return;
      }
    } catch (RuntimeException e) {
      _log.debug("answering {} from the cache failed", req.getRequestURI(), e);
    }
    async.complete();
  }

  private void refreshInBackground(HttpServletRequest req, Keyed k, CachedResponse stale, String route) {
    if (cache.filling(k.key())) {
      return;
    }
    Flight flight = cache.join(k.key());
    if (!flight.leader()) {
      return;
    }
    Optional<Limiter.Listener> slot = limits.acquire();
    if (slot.isEmpty()) {
      cache.complete(k.key(), flight.future(), Fill.rejected());
      return;
    }
    Exchange bg = new Exchange();
    bg.slot = slot.get();
    fill(req, k, stale, route, flight.future(), bg);
  }

  /** Sends one GET for a cache key upstream, buffering at most the largest cacheable body. */
  private void fill(HttpServletRequest req, Keyed k, CachedResponse stale, String route, CompletableFuture<Fill> future,
      Exchange x) {
    Request fr = getHttpClient().newRequest(rewriteTarget(req)).method("GET");
    copyRequestHeaders(req, fr);
    addProxyHeaders(req, fr);
    fr.headers(h -> {
      h.remove(HttpHeader.ACCEPT_ENCODING);
      h.remove(HttpHeader.IF_NONE_MATCH);
      h.remove(HttpHeader.IF_MODIFIED_SINCE);
      h.remove(HttpHeader.IF_MATCH);
      h.remove(HttpHeader.IF_RANGE);
      h.remove(HttpHeader.CONTENT_LENGTH);
      h.remove(HttpHeader.CONTENT_TYPE);
      if (stale != null && stale.upstreamEtag() != null) {
        h.put(HttpHeader.IF_NONE_MATCH, stale.upstreamEtag());
      }
      if (stale != null && stale.lastModified() != null) {
        h.put(HttpHeader.IF_MODIFIED_SINCE, stale.lastModified());
      }
    });
    fr.timeout(config.readTimeout().toMillis() + config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    long max = config.maxCacheObjectBytes();
    CacheRule rule = k.rule();
    fr.send(new Response.Listener.Adapter() {
      private final ByteArrayOutputStream body = new ByteArrayOutputStream();
      private boolean large;

      @Override
      public void onHeaders(Response response) {
        x.release(response.getStatus() == 503 || response.getStatus() == 504);
        long len = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (len > max) {
          large = true;
          response.abort(new IOException("body of " + len + " bytes is over the cache's largest object"));
        }
      }

      @Override
      public void onContent(Response response, ByteBuffer content) {
        if (body.size() + content.remaining() > max) {
          large = true;
          response.abort(new IOException("body over the cache's largest object"));
          return;
        }
        byte[] b = new byte[content.remaining()];
        content.get(b);
        body.writeBytes(b);
      }

      @Override
      public void onComplete(Result result) {
        Fill f;
        try {
          if (large) {
            f = Fill.large();
          } else if (result.isFailed()) {
            Throwable t = result.getFailure();
            boolean timeout = t instanceof TimeoutException;
            x.ignore();
            passiveFailure(t);
            f = Fill.failed(describe(t), timeout, null);
          } else {
            passiveSuccess();
            f = filled(result.getResponse(), body.toByteArray(), k, rule, stale, route);
          }
        } catch (RuntimeException e) {
          f = Fill.failed("storing the response failed: " + e.getMessage(), false, null);
          _log.warn("proxy cache: storing {} failed", k.key(), e);
        }
        cache.complete(k.key(), future, f);
      }
    });
  }

  private Fill filled(Response r, byte[] body, Keyed k, CacheRule rule, CachedResponse stale, String route) {
    long now = clock.millis();
    HttpFields h = r.getHeaders();
    CacheControl cc = CacheControl.parse(h.get(HttpHeader.CACHE_CONTROL));
    long fresh = cc.sMaxAge() >= 0 ? cc.sMaxAge() * 1000 : cc.maxAge() >= 0 ? cc.maxAge() * 1000 : rule.ttl().toMillis();
    long swr = cc.mustRevalidate() ? 0 : cc.staleWhileRevalidate() >= 0 ? cc.staleWhileRevalidate() * 1000
        : rule.staleWhileRevalidate().toMillis();
    long sie = cc.mustRevalidate() ? 0 : cc.staleIfError() >= 0 ? cc.staleIfError() * 1000 : rule.staleIfError().toMillis();
    if (r.getStatus() == 304 && stale != null) {
      CachedResponse renewed = stale.renewed(now, fresh, swr, sie);
      if (!cc.noStore() && fresh > 0) {
        cache.put(k.key(), renewed, rule, route);
      }
      return new Fill(renewed, true, false, null, false, "REVALIDATED");
    }
    List<String> headers = new ArrayList<>();
    Set<String> connectionListed = connectionListed(h);
    String upstreamEtag = null;
    String lastModified = null;
    for (HttpField f : h) {
      String name = f.getName().toLowerCase(Locale.ROOT);
      if (NOT_STORED.contains(name) || connectionListed.contains(name) || name.equalsIgnoreCase(config.userIdHeader())) {
        continue;
      }
      if (name.equals("etag")) {
        upstreamEtag = f.getValue();
        continue;
      }
      if (name.equals("last-modified")) {
        lastModified = f.getValue();
      }
      headers.add(f.getName());
      headers.add(f.getValue());
    }
    String etag = upstreamEtag != null ? upstreamEtag : ResponseCache.etagOf(body, 0, body.length);
    CachedResponse entry = new CachedResponse(r.getStatus(), List.copyOf(headers), body, now, fresh, swr, sie, etag,
        upstreamEtag, lastModified);
    if (r.getStatus() >= 500) {
      return Fill.failed("upstream answered " + r.getStatus(), r.getStatus() == 504, entry);
    }
    boolean personal = h.contains(HttpHeader.SET_COOKIE) || (cc.isPrivate() && !rule.perUser());
    boolean storable = !personal && !cc.noStore() && !cc.noCache() && fresh > 0
        && CACHEABLE_STATUS.contains(r.getStatus()) && varyCovered(h, rule);
    if (storable) {
      cache.put(k.key(), entry, rule, route);
    }
    return new Fill(entry, storable, false, null, false, null);
  }

  private static boolean varyCovered(HttpFields h, CacheRule rule) {
    for (String v : h.getCSV(HttpHeader.VARY, false)) {
      String name = v.trim().toLowerCase(Locale.ROOT);
      if (name.equals("*")) {
        return false;
      }
      if (!name.isEmpty() && !name.equals("accept-encoding") && !rule.vary().contains(name)
          && !(rule.perUser() && (name.equals("cookie") || name.equals("authorization")))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Answers from a cached copy and completes {@code async}: the body goes out as one asynchronous
   * write, so a client that does not read holds no thread.
   */
  private void serve(HttpServletRequest req, HttpServletResponse resp, Exchange x, CachedResponse e, CacheOutcome outcome,
      long now, AsyncContext async) {
    x.cache = outcome;
    if (x.sampled && "GET".equals(req.getMethod()) && e.status() >= 200 && e.status() < 300) {
      CRC32C crc = new CRC32C();
      crc.update(e.body());
      x.answer = RouteStatsRegistry.checksum(crc, e.body().length);
    }
    List<String> h = e.headers();
    for (int i = 0; i + 1 < h.size(); i += 2) {
      resp.addHeader(h.get(i), h.get(i + 1));
    }
    resp.setHeader("ETag", e.etag());
    resp.setHeader("Age", Long.toString(e.ageSeconds(now)));
    resp.setHeader(CACHE_HEADER, outcome.name().replace('_', '-'));
    if (outcome == CacheOutcome.STALE_IF_ERROR) {
      resp.setHeader("Warning", "111 - \"Revalidation Failed\"");
    }
    if (ResponseCache.noneMatch(req.getHeader("If-None-Match"), e.etag())) {
      resp.setStatus(304);
      async.complete();
      return;
    }
    resp.setStatus(e.status());
    resp.setContentLength(e.body().length);
    if ("HEAD".equals(req.getMethod()) || e.body().length == 0) {
      async.complete();
      return;
    }
    output(req).sendContent(ByteBuffer.wrap(e.body()), Callback.from(async::complete, failure -> {
      _log.debug("writing the cached {} to the client failed", req.getRequestURI(), failure);
      async.complete();
    }));
  }

  private static AsyncContext startAsync(HttpServletRequest req) {
    AsyncContext async = req.startAsync();
    async.setTimeout(0);
    return async;
  }

  // ------------------------------------------------------------------------------------------------ streaming hooks

  @Override
  protected String rewriteTarget(HttpServletRequest req) {
    String q = req.getQueryString();
    return upstreamBase + req.getRequestURI() + (q == null ? "" : "?" + q);
  }

  @Override
  protected void copyRequestHeaders(HttpServletRequest req, Request proxyRequest) {
    super.copyRequestHeaders(req, proxyRequest);
    if (!trusted.contains(req.getRemoteAddr())) {
      proxyRequest.headers(h -> {
        for (String name : FORWARDING) {
          h.remove(name);
        }
      });
    }
  }

  @Override
  protected void addProxyHeaders(HttpServletRequest req, Request proxyRequest) {
    HttpFields.Mutable mine = forwardingHeaders(req);
    proxyRequest.headers(h -> {
      for (HttpField f : mine) {
        h.put(f.getName(), f.getValue());
      }
    });
  }

  /** X-Forwarded-For/Proto/Host and Forwarded for a request, appended to a trusted proxy's own. */
  HttpFields.Mutable forwardingHeaders(HttpServletRequest req) {
    boolean trustedPeer = trusted.contains(req.getRemoteAddr());
    String peer = req.getRemoteAddr();
    String host = req.getHeader("Host");
    String proto = req.getScheme();
    HttpFields.Mutable out = HttpFields.build();
    String xff = trustedPeer ? join(req.getHeaders("X-Forwarded-For")) : null;
    out.put("X-Forwarded-For", xff == null || xff.isEmpty() ? peer : xff + ", " + peer);
    out.put("X-Forwarded-Proto", forwardedProto(req, trustedPeer));
    String forwardedHost = forwardedHost(req, trustedPeer);
    if (forwardedHost != null) {
      out.put("X-Forwarded-Host", forwardedHost);
    }
    String node = "for=" + quoteNode(peer) + ";proto=" + proto + (host != null ? ";host=\"" + host.replace("\"", "") + "\"" : "");
    String fwd = trustedPeer ? join(req.getHeaders("Forwarded")) : null;
    out.put("Forwarded", fwd == null || fwd.isEmpty() ? node : fwd + ", " + node);
    return out;
  }

  /** The scheme the upstream is told the request came with: a trusted proxy's, else the client's. */
  private static String forwardedProto(HttpServletRequest req, boolean trustedPeer) {
    String xfp = trustedPeer ? req.getHeader("X-Forwarded-Proto") : null;
    return xfp != null ? xfp : req.getScheme();
  }

  /** The host the upstream is told the request came to: a trusted proxy's, else the Host header; may be null. */
  private static String forwardedHost(HttpServletRequest req, boolean trustedPeer) {
    String xfh = trustedPeer ? req.getHeader("X-Forwarded-Host") : null;
    return xfh != null ? xfh : req.getHeader("Host");
  }

  /** {@code proto://host} as the upstream sees it, lower case, for the cache key. */
  private String forwardedOrigin(HttpServletRequest req) {
    boolean trustedPeer = trusted.contains(req.getRemoteAddr());
    String host = forwardedHost(req, trustedPeer);
    return (forwardedProto(req, trustedPeer) + "://" + (host == null ? "" : host)).toLowerCase(Locale.ROOT);
  }

  private static String quoteNode(String addr) {
    return addr.indexOf(':') >= 0 ? "\"[" + addr + "]\"" : addr;
  }

  private static String join(Enumeration<String> values) {
    if (values == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    while (values.hasMoreElements()) {
      String v = values.nextElement();
      if (v != null && !v.isBlank()) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(v.trim());
      }
    }
    return sb.toString();
  }

  @Override
  protected void onServerResponseHeaders(HttpServletRequest req, HttpServletResponse resp, Response server) {
    Exchange x = (Exchange) req.getAttribute(EXCHANGE);
    passiveSuccess();
    if (x != null) {
      x.release(server.getStatus() == 503 || server.getStatus() == 504);
    }
    super.onServerResponseHeaders(req, resp, server);
    for (String name : connectionListed(server.getHeaders())) {
      resp.setHeader(name, null);
    }
    String user = server.getHeaders().get(config.userIdHeader());
    if (user != null) {
      resp.setHeader(config.userIdHeader(), null);
      if (x != null) {
        x.userId = user.length() > 128 ? user.substring(0, 128) : user;
      }
    }
    if (x != null && x.sampled) {
      x.personal = personal(server.getHeaders());
      String type = server.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if ("GET".equals(req.getMethod()) && server.getStatus() >= 200 && server.getStatus() < 300
          && (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream"))) {
        x.checksum = new CRC32C();
      }
    }
    if (x != null) {
      long len = server.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
      x.etag = wantsEtag(req, server, len);
      if (x.etag || small(req, server, len)) {
        x.body = new ByteArrayOutputStream((int) len);
        x.bodyMax = x.etag ? config.etagMaxBytes() : len;
      }
    }
  }

  /**
   * Whether a body is small enough to be gathered and sent in one go when it has arrived, as one
   * asynchronous write of the whole answer, instead of chunk by chunk through a write listener (which
   * hands every answer to another thread to start writing).
   */
  private static boolean small(HttpServletRequest req, Response server, long len) {
    int status = server.getStatus();
    if (len <= 0 || len > SMALL_BODY_BYTES || status < 200 || status == 204 || status == 304
        || "HEAD".equals(req.getMethod())) {
      return false;
    }
    String type = server.getHeaders().get(HttpHeader.CONTENT_TYPE);
    return type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
  }

  private boolean wantsEtag(HttpServletRequest req, Response server, long len) {
    if (!"GET".equals(req.getMethod()) || server.getStatus() != 200) {
      return false;
    }
    HttpFields h = server.getHeaders();
    if (h.contains(HttpHeader.ETAG) || h.contains(HttpHeader.CONTENT_ENCODING) || h.contains(HttpHeader.SET_COOKIE)) {
      return false;
    }
    String type = h.get(HttpHeader.CONTENT_TYPE);
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      return false;
    }
    return len > config.compressMinBytes() && len <= config.etagMaxBytes();
  }

  @Override
  protected void onResponseContent(HttpServletRequest req, HttpServletResponse resp, Response server, byte[] buffer,
      int offset, int length, Callback callback) {
    Exchange x = (Exchange) req.getAttribute(EXCHANGE);
    if (x != null && x.checksum != null) {
      if (x.checksumBytes + length > config.maxCacheObjectBytes()) {
        x.checksum = null;
      } else {
        x.checksum.update(buffer, offset, length);
        x.checksumBytes += length;
      }
    }
    if (x != null && x.body != null) {
      if (x.body.size() + length > x.bodyMax) {
        callback.failed(new IOException("upstream sent more than its Content-Length"));
        return;
      }
      x.body.write(buffer, offset, length);
      callback.succeeded();
      return;
    }
    super.onResponseContent(req, resp, server, buffer, offset, length, callback);
  }

  @Override
  protected void onProxyResponseSuccess(HttpServletRequest req, HttpServletResponse resp, Response server) {
    Exchange x = (Exchange) req.getAttribute(EXCHANGE);
    if (x != null && x.checksum != null) {
      x.answer = RouteStatsRegistry.checksum(x.checksum, x.checksumBytes);
      x.checksum = null;
    }
    if (x == null || x.body == null) {
      super.onProxyResponseSuccess(req, resp, server);
      return;
    }
    byte[] body = x.body.toByteArray();
    x.body = null;
    if (x.etag) {
      String etag = ResponseCache.etagOf(body, 0, body.length);
      resp.setHeader("ETag", etag);
      if (ResponseCache.noneMatch(req.getHeader("If-None-Match"), etag)) {
        resp.setStatus(304);
        resp.setHeader("Content-Length", null);
        super.onProxyResponseSuccess(req, resp, server);
        return;
      }
      resp.setContentLength(body.length);
    }
    // written asynchronously as the whole answer: no thread waits on a client that does not read
    output(req).sendContent(ByteBuffer.wrap(body), Callback.from(() -> super.onProxyResponseSuccess(req, resp, server),
        failure -> {
          _log.debug("writing {} to the client failed", req.getRequestURI(), failure);
          super.onProxyResponseFailure(req, resp, server, failure);
        }));
  }

  private static HttpOutput output(HttpServletRequest req) {
    return org.eclipse.jetty.server.Request.getBaseRequest(req).getResponse().getHttpOutput();
  }

  @Override
  protected void onProxyResponseFailure(HttpServletRequest req, HttpServletResponse resp, Response server, Throwable failure) {
    Exchange x = (Exchange) req.getAttribute(EXCHANGE);
    boolean clientSide = x != null && x.clientFailed;
    if (x != null) {
      if (failure instanceof TimeoutException && !clientSide) {
        x.release(true);
      } else {
        x.ignore();
      }
    }
    if (clientSide) {
      sendProxyResponseError(req, resp, clientRequestStatus(failure));
      return;
    }
    passiveFailure(failure);
    if (resp.isCommitted()) {
      super.onProxyResponseFailure(req, resp, server, failure);
      return;
    }
    resp.resetBuffer();
    upstreamError(resp, x, failure instanceof TimeoutException, describe(failure));
    completeIfAsync(req);
  }

  @Override
  protected void onClientRequestFailure(HttpServletRequest req, Request proxyRequest, HttpServletResponse resp,
      Throwable failure) {
    Exchange x = (Exchange) req.getAttribute(EXCHANGE);
    if (x != null) {
      x.clientFailed = true;
    }
    super.onClientRequestFailure(req, proxyRequest, resp, failure);
  }

  @Override
  protected int clientRequestStatus(Throwable failure) {
    if (failure instanceof BadMessageException bad) {
      return bad.getCode(); // 408 for a body slower than proxy.limits.min_upload_rate
    }
    return failure instanceof TimeoutException ? 408 : 400;
  }

  @Override
  protected void sendProxyResponseError(HttpServletRequest req, HttpServletResponse resp, int status) {
    Exchange x = (Exchange) req.getAttribute(EXCHANGE);
    if (x != null) {
      x.ignore();
    }
    if (resp.isCommitted()) {
      super.sendProxyResponseError(req, resp, status);
      return;
    }
    resp.resetBuffer();
    resp.setHeader("Connection", "close");
    String code = status == 408 ? "client_timeout" : status == 400 ? "bad_request" : status == 504 ? "upstream_timeout"
        : status >= 500 ? "upstream_unavailable" : "refused";
    error(resp, x, status, code, status < 500 ? "the request body could not be read" : "the upstream did not answer");
    completeIfAsync(req);
  }

  private void upstreamError(HttpServletResponse resp, Exchange x, boolean timeout, String detail) {
    if (timeout) {
      error(resp, x, 504, "upstream_timeout", "the application at " + upstreamBase + " did not answer in time: " + detail);
    } else {
      error(resp, x, 502, "upstream_unavailable", "the application at " + upstreamBase + " could not be reached: " + detail);
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private void passiveSuccess() {
    UpstreamHealth h = health;
    if (h != null) {
      h.success();
    }
  }

  private void passiveFailure(Throwable t) {
    UpstreamHealth h = health;
    if (h != null && (t instanceof ConnectException || t instanceof TimeoutException
        || t.getCause() instanceof ConnectException)) {
      h.failure(describe(t));
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /**
   * Whether an answer is personal or may not be stored: {@code Set-Cookie}, {@code Cache-Control}
   * private, no-store or no-cache, or {@code Vary} on {@code Cookie}, {@code Authorization} or {@code *}.
   */
  private static boolean personal(HttpFields h) {
    if (h.contains(HttpHeader.SET_COOKIE)) {
      return true;
    }
    CacheControl cc = CacheControl.parse(h.get(HttpHeader.CACHE_CONTROL));
    if (cc.isPrivate() || cc.noStore() || cc.noCache()) {
      return true;
    }
    for (String v : h.getCSV(HttpHeader.VARY, false)) {
      String name = v.trim().toLowerCase(Locale.ROOT);
      if (name.equals("*") || name.equals("cookie") || name.equals("authorization")) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> connectionListed(HttpFields h) {
    Set<String> out = new HashSet<>();
    for (String v : h.getCSV(HttpHeader.CONNECTION, false)) {
      out.add(v.trim().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static void completeIfAsync(HttpServletRequest req) {
    if (req.isAsyncStarted()) {
      req.getAsyncContext().complete();
    }
  }

  /** The client's address: the peer, or the last untrusted X-Forwarded-For hop behind trusted proxies. */
  String clientAddress(HttpServletRequest req) {
    String peer = req.getRemoteAddr();
    if (!trusted.contains(peer)) {
      return peer;
    }
    String xff = join(req.getHeaders("X-Forwarded-For"));
    if (xff == null || xff.isEmpty()) {
      return peer;
    }
    String[] hops = xff.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!trusted.contains(hop)) {
        return hop.length() > 64 ? hop.substring(0, 64) : hop;
      }
    }
    return hops[0].trim();
  }

  /** Writes a JSON error answered by the proxy itself. */
  void error(HttpServletResponse resp, Exchange x, int status, String code, String message) {
    try {
      resp.setStatus(status);
      resp.setContentType("application/json");
      resp.setHeader("Cache-Control", "no-store");
      ObjectNode body = JSON.createObjectNode();
      body.put("error", code);
      body.put("status", status);
      body.put("message", message);
      body.put("source", "vigil-proxy");
      byte[] bytes = JSON.writeValueAsBytes(body);
      resp.setContentLength(bytes.length);
      resp.getOutputStream().write(bytes);
    } catch (IOException e) {
      _log.debug("writing a {} to the client failed", status, e);
    }
  }
}
