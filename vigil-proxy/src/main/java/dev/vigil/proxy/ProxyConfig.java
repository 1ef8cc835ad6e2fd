package dev.vigil.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.proxy.internal.Cidrs;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the application proxy runs. Every default lives here as a public constant; build with
 * {@link #builder(String)} or read the {@code proxy:} configuration section with {@link #fromJson}.
 *
 * @param upstream the one application server requests go to ({@code http://host:port}, optional base path)
 * @param listenHost address the proxy binds
 * @param listenPort port the proxy binds (0 picks a free one)
 * @param preserveHost whether the client's {@code Host} header is sent upstream (else the upstream's own)
 * @param connectTimeout how long connecting to the upstream may take
 * @param readTimeout how long the upstream may stay silent mid-response (also the idle time of pooled connections)
 * @param routes route templates beyond the automatic ones, such as {@code /api/projects/{id}/tasks/{task}}
 * @param cacheRules response-cache rules, first match wins
 * @param maxCacheObjectBytes largest body cached; larger responses are streamed, never buffered
 * @param maxRoutes most route templates tracked; later ones count under {@value #OTHER_ROUTE}
 * @param compression whether responses without {@code Content-Encoding} are gzipped for clients that accept it
 * @param compressMinBytes smallest body compressed (and given an ETag)
 * @param etagMaxBytes largest uncached body buffered to give it an ETag
 * @param initialConcurrency starting concurrency limit towards the upstream
 * @param maxConcurrency highest concurrency limit the adaptive limiter may reach
 * @param minConcurrency lowest concurrency limit
 * @param clientRatePerSecond requests per second one client may make to the upstream (0: unlimited)
 * @param clientBurst requests one client may make at once above its rate
 * @param trustedProxies CIDRs of proxies whose {@code X-Forwarded-For} names the client
 * @param healthPath path the active health check GETs (null: a TCP connect is the check)
 * @param healthInterval time between active health checks
 * @param healthFailures consecutive failures after which the upstream is reported down
 * @param maxRequestHeaderBytes largest request head accepted (larger gets 431)
 * @param maxWebSockets most WebSocket tunnels open at once
 * @param userIdHeader upstream response header naming the user for the request log (removed before the client sees it)
 * @param requestBufferBytes largest request body (by its {@code Content-Length}) read whole before the upstream is
 *     contacted, so a slow client holds neither an upstream worker nor a concurrency slot while it sends (0: none);
 *     larger and chunked bodies are streamed
 * @param requestBufferTotalBytes most bytes of such bodies held in memory at once, over all requests: reserved as the
 *     bytes arrive (a client that announces a body and sends nothing holds none); a body that would go past it gets
 *     503 and a new one is streamed instead
 * @param minUploadRate slowest a request body may arrive, bytes per second, averaged from its first byte (slower
 *     gets 408; 0: no minimum)
 * @param headerTimeout longest a request head may take to arrive, from its first byte; a connection whose head is
 *     still incomplete then is closed (idle keep-alive connections fall under {@code readTimeout} instead)
 * @param maxConnections most client connections open at once; a connection beyond it is closed as it is accepted,
 *     so a flood of idle or slow connections cannot take every file descriptor and the memory they hold
 */
public record ProxyConfig(URI upstream, String listenHost, int listenPort, boolean preserveHost,
    Duration connectTimeout, Duration readTimeout, List<String> routes, List<CacheRule> cacheRules,
    long maxCacheObjectBytes, int maxRoutes, boolean compression, int compressMinBytes, int etagMaxBytes,
    int initialConcurrency, int maxConcurrency, int minConcurrency, double clientRatePerSecond, int clientBurst,
    List<String> trustedProxies, String healthPath, Duration healthInterval, int healthFailures,
    int maxRequestHeaderBytes, int maxWebSockets, String userIdHeader, int requestBufferBytes, long requestBufferTotalBytes,
    long minUploadRate, Duration headerTimeout, int maxConnections) {

  /** Default listen address. */
  public static final String DEFAULT_LISTEN_HOST = "127.0.0.1";
  /** Default listen port. */
  public static final int DEFAULT_LISTEN_PORT = 8081;
  /** Default for sending the client's Host upstream. */
  public static final boolean DEFAULT_PRESERVE_HOST = true;
  /** Default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default read (idle) timeout. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  /** Default longest a request head may take to arrive: ample for a slow phone, short for a byte-a-second head. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(20);
  /** Default largest cached body: 1 MiB. */
  public static final long DEFAULT_MAX_CACHE_OBJECT_BYTES = 1 << 20;
  /** Default most route templates. */
  public static final int DEFAULT_MAX_ROUTES = 200;
  /** Route under which templates beyond the cap are counted. */
  public static final String OTHER_ROUTE = "other";
  /** Default: compress. */
  public static final boolean DEFAULT_COMPRESSION = true;
  /** Default smallest compressed body (1 KB, as the compression middleware does). */
  public static final int DEFAULT_COMPRESS_MIN_BYTES = 1024;
  /** Default largest body buffered for an ETag. */
  public static final int DEFAULT_ETAG_MAX_BYTES = 256 * 1024;
  /** Default starting concurrency limit. */
  public static final int DEFAULT_INITIAL_CONCURRENCY = 20;
  /** Default highest concurrency limit. */
  public static final int DEFAULT_MAX_CONCURRENCY = 200;
  /** Default lowest concurrency limit. */
  public static final int DEFAULT_MIN_CONCURRENCY = 1;
  /** Default per-client rate (0: unlimited). */
  public static final double DEFAULT_CLIENT_RATE_PER_SECOND = 0;
  /** Default per-client burst. */
  public static final int DEFAULT_CLIENT_BURST = 50;
  /** Default health check interval. */
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
  /** Default consecutive failures before down. */
  public static final int DEFAULT_HEALTH_FAILURES = 3;
  /** Default largest request head: 16 KiB. */
  public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 16 * 1024;
  /** Default most client connections open at once. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** Default most WebSocket tunnels. */
  public static final int DEFAULT_MAX_WEBSOCKETS = 256;
  /** Default largest request body read whole before it goes upstream: 64 KiB. */
  public static final int DEFAULT_REQUEST_BUFFER_BYTES = 64 * 1024;
  /** Default most bytes of request bodies held at once while they are read whole: 64 MiB. */
  public static final long DEFAULT_REQUEST_BUFFER_TOTAL_BYTES = 64L << 20;
  /** Default slowest request body: 1 KiB a second. */
  public static final long DEFAULT_MIN_UPLOAD_RATE = 1024;
  /** Default user-id response header. */
  public static final String DEFAULT_USER_ID_HEADER = "X-Vigil-User";

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  /** Checks the configuration. */
  public ProxyConfig {
    Objects.requireNonNull(upstream, "upstream");
    if (!"http".equalsIgnoreCase(upstream.getScheme()) || upstream.getHost() == null) {
      throw new IllegalArgumentException("proxy.upstream must be an http://host:port URL, got '" + upstream + "'");
    }
    if (upstream.getRawQuery() != null || upstream.getRawFragment() != null || upstream.getRawUserInfo() != null) {
      throw new IllegalArgumentException("proxy.upstream must not carry user info, a query or a fragment: '" + upstream + "'");
    }
    Objects.requireNonNull(listenHost, "listenHost");
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("proxy.listen port must be 0-65535, got " + listenPort);
    }
    positive("proxy.connect_timeout", connectTimeout);
    positive("proxy.read_timeout", readTimeout);
    positive("proxy.header_timeout", headerTimeout);
    routes = List.copyOf(routes == null ? List.of() : routes);
    for (String r : routes) {
      if (!r.startsWith("/")) {
        throw new IllegalArgumentException("proxy.routes entries must start with '/', got '" + r + "'");
      }
    }
    cacheRules = List.copyOf(cacheRules == null ? List.of() : cacheRules);
    atLeast("proxy.cache.max_object_bytes", maxCacheObjectBytes, 1);
    atLeast("proxy.max_routes", maxRoutes, 1);
    atLeast("proxy.compress_min_bytes", compressMinBytes, 0);
    atLeast("proxy.etag_max_bytes", etagMaxBytes, 0);
    atLeast("proxy.limits.min_concurrency", minConcurrency, 1);
    atLeast("proxy.limits.max_concurrency", maxConcurrency, minConcurrency);
    if (initialConcurrency < minConcurrency || initialConcurrency > maxConcurrency) {
      throw new IllegalArgumentException("proxy.limits.initial_concurrency must be between min_concurrency ("
          + minConcurrency + ") and max_concurrency (" + maxConcurrency + "), got " + initialConcurrency);
    }
    if (!(clientRatePerSecond >= 0)) {
      throw new IllegalArgumentException("proxy.limits.client_rate must be >= 0, got " + clientRatePerSecond);
    }
    atLeast("proxy.limits.client_burst", clientBurst, 1);
    trustedProxies = List.copyOf(trustedProxies == null ? List.of() : trustedProxies);
    new Cidrs(trustedProxies);
    if (healthPath != null && !healthPath.startsWith("/")) {
      throw new IllegalArgumentException("proxy.health.path must start with '/', got '" + healthPath + "'");
    }
    positive("proxy.health.interval", healthInterval);
    atLeast("proxy.health.failures", healthFailures, 1);
    atLeast("proxy.max_request_header_bytes", maxRequestHeaderBytes, 1024);
    atLeast("proxy.max_websockets", maxWebSockets, 0);
    atLeast("proxy.max_connections", maxConnections, 1);
    atLeast("proxy.request_buffer_bytes", requestBufferBytes, 0);
    atLeast("proxy.request_buffer_total_bytes", requestBufferTotalBytes, requestBufferBytes);
    atLeast("proxy.limits.min_upload_rate", minUploadRate, 0);
  }

  /** A builder with every default, for the given upstream URL. */
  public static Builder builder(String upstream) {
    return new Builder(upstream);
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(upstream.toString());
    b.listenHost = listenHost;
    b.listenPort = listenPort;
    b.preserveHost = preserveHost;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.routes = new ArrayList<>(routes);
    b.cacheRules = new ArrayList<>(cacheRules);
    b.maxCacheObjectBytes = maxCacheObjectBytes;
    b.maxRoutes = maxRoutes;
    b.compression = compression;
    b.compressMinBytes = compressMinBytes;
    b.etagMaxBytes = etagMaxBytes;
    b.initialConcurrency = initialConcurrency;
    b.maxConcurrency = maxConcurrency;
    b.minConcurrency = minConcurrency;
    b.clientRatePerSecond = clientRatePerSecond;
    b.clientBurst = clientBurst;
    b.trustedProxies = new ArrayList<>(trustedProxies);
    b.healthPath = healthPath;
    b.healthInterval = healthInterval;
    b.healthFailures = healthFailures;
    b.maxRequestHeaderBytes = maxRequestHeaderBytes;
    b.maxWebSockets = maxWebSockets;
    b.userIdHeader = userIdHeader;
    b.requestBufferBytes = requestBufferBytes;
    b.requestBufferTotalBytes = requestBufferTotalBytes;
    b.minUploadRate = minUploadRate;
    b.headerTimeout = headerTimeout;
    b.maxConnections = maxConnections;
    return b;
  }

  /**
   * Reads the {@code proxy:} configuration section (as JSON, e.g. converted from YAML). Known keys:
   * {@code upstream, listen, preserve_host, connect_timeout, read_timeout, header_timeout, max_connections,
   * routes, max_routes,
   * compression, trusted_proxies, user_id_header, request_buffer_bytes,
   * request_buffer_total_bytes, cache.{rules, max_object_bytes},
   * limits.{initial_concurrency, min_concurrency, max_concurrency, client_rate, client_burst, min_upload_rate},
   * health.{path, interval, failures}}. Durations are {@code 500ms, 30s, 5m, 2h, 1d}.
   *
   * @throws IllegalArgumentException naming the key when a value is missing, unknown or malformed
   */
  public static ProxyConfig fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("proxy: must be a mapping");
    }
    known(node, "proxy", Set.of("upstream", "listen", "preserve_host", "connect_timeout", "read_timeout",
        "header_timeout", "max_connections", "routes", "max_routes", "compression", "trusted_proxies", "user_id_header",
        "request_buffer_bytes", "request_buffer_total_bytes", "cache", "limits", "health"));
    JsonNode up = node.get("upstream");
    if (up == null || !up.isTextual() || up.asText().isBlank()) {
      throw new IllegalArgumentException("proxy.upstream is required (an http://host:port URL)");
    }
    Builder b = builder(up.asText());
    if (node.has("listen")) {
      b.listen(text(node, "listen", "proxy.listen"));
    }
    if (node.has("preserve_host")) {
      b.preserveHost(bool(node.get("preserve_host"), "proxy.preserve_host"));
    }
    if (node.has("connect_timeout")) {
      b.connectTimeout(duration(node.get("connect_timeout"), "proxy.connect_timeout"));
    }
    if (node.has("read_timeout")) {
      b.readTimeout(duration(node.get("read_timeout"), "proxy.read_timeout"));
    }
    if (node.has("header_timeout")) {
      b.headerTimeout(duration(node.get("header_timeout"), "proxy.header_timeout"));
    }
    if (node.has("routes")) {
      b.routes(strings(node.get("routes"), "proxy.routes"));
    }
    if (node.has("max_connections")) {
      b.maxConnections(integer(node.get("max_connections"), "proxy.max_connections"));
    }
    if (node.has("max_routes")) {
      b.maxRoutes(integer(node.get("max_routes"), "proxy.max_routes"));
    }
    if (node.has("compression")) {
      b.compression(bool(node.get("compression"), "proxy.compression"));
    }
    if (node.has("trusted_proxies")) {
      b.trustedProxies(strings(node.get("trusted_proxies"), "proxy.trusted_proxies"));
    }
    if (node.has("user_id_header")) {
      b.userIdHeader(text(node, "user_id_header", "proxy.user_id_header"));
    }
    if (node.has("request_buffer_bytes")) {
      b.requestBufferBytes = (int) integer(node.get("request_buffer_bytes"), "proxy.request_buffer_bytes");
    }
    if (node.has("request_buffer_total_bytes")) {
      b.requestBufferTotalBytes = integer(node.get("request_buffer_total_bytes"), "proxy.request_buffer_total_bytes");
    }
    JsonNode cache = node.get("cache");
    if (cache != null) {
      if (!cache.isObject()) {
        throw new IllegalArgumentException("proxy.cache must be a mapping");
      }
      known(cache, "proxy.cache", Set.of("rules", "max_object_bytes"));
      if (cache.has("max_object_bytes")) {
        b.maxCacheObjectBytes(integer(cache.get("max_object_bytes"), "proxy.cache.max_object_bytes"));
      }
      JsonNode rules = cache.get("rules");
      if (rules != null) {
        if (!rules.isArray()) {
          throw new IllegalArgumentException("proxy.cache.rules must be a list");
        }
        for (int i = 0; i < rules.size(); i++) {
          b.cacheRule(rule(rules.get(i), "proxy.cache.rules[" + i + "]"));
        }
      }
    }
    JsonNode limits = node.get("limits");
    if (limits != null) {
      known(limits, "proxy.limits", Set.of("initial_concurrency", "min_concurrency", "max_concurrency", "client_rate",
          "client_burst", "min_upload_rate"));
      if (limits.has("min_upload_rate")) {
        b.minUploadRate = integer(limits.get("min_upload_rate"), "proxy.limits.min_upload_rate");
      }
      if (limits.has("initial_concurrency")) {
        b.initialConcurrency = (int) integer(limits.get("initial_concurrency"), "proxy.limits.initial_concurrency");
      }
      if (limits.has("min_concurrency")) {
        b.minConcurrency = (int) integer(limits.get("min_concurrency"), "proxy.limits.min_concurrency");
      }
      if (limits.has("max_concurrency")) {
        b.maxConcurrency = (int) integer(limits.get("max_concurrency"), "proxy.limits.max_concurrency");
      }
      if (limits.has("client_rate")) {
        JsonNode r = limits.get("client_rate");
        if (!r.isNumber()) {
          throw new IllegalArgumentException("proxy.limits.client_rate must be a number of requests per second");
        }
        b.clientRatePerSecond = r.asDouble();
      }
      if (limits.has("client_burst")) {
        b.clientBurst = (int) integer(limits.get("client_burst"), "proxy.limits.client_burst");
      }
    }
    JsonNode health = node.get("health");
    if (health != null) {
      known(health, "proxy.health", Set.of("path", "interval", "failures"));
      if (health.has("path")) {
        b.healthPath(text(health, "path", "proxy.health.path"));
      }
      if (health.has("interval")) {
        b.healthInterval = duration(health.get("interval"), "proxy.health.interval");
      }
      if (health.has("failures")) {
        b.healthFailures = (int) integer(health.get("failures"), "proxy.health.failures");
      }
    }
    return b.build();
  }

  private static CacheRule rule(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(where + " must be a mapping with path and ttl");
    }
    known(n, where, Set.of("path", "ttl", "methods", "vary", "tags", "per_user", "stale_while_revalidate",
        "stale_if_error"));
    if (!n.has("path")) {
      throw new IllegalArgumentException(where + ".path is required");
    }
    if (!n.has("ttl")) {
      throw new IllegalArgumentException(where + ".ttl is required (e.g. 30s)");
    }
    try {
      return new CacheRule(text(n, "path", where + ".path"),
          n.has("methods") ? new HashSet<>(strings(n.get("methods"), where + ".methods")) : null,
          duration(n.get("ttl"), where + ".ttl"),
          n.has("vary") ? strings(n.get("vary"), where + ".vary") : null,
          n.has("tags") ? new HashSet<>(strings(n.get("tags"), where + ".tags")) : null,
          n.has("per_user") && bool(n.get("per_user"), where + ".per_user"),
          n.has("stale_while_revalidate") ? duration(n.get("stale_while_revalidate"), where + ".stale_while_revalidate") : null,
          n.has("stale_if_error") ? duration(n.get("stale_if_error"), where + ".stale_if_error") : null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static void known(JsonNode n, String where, Set<String> keys) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!keys.contains(k)) {
        throw new IllegalArgumentException(where + "." + k + " is not a known setting (known: " + keys.stream().sorted().toList() + ")");
      }
    }
  }

  private static String text(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException(where + " must be a string");
    }
    return n.asText();
  }

  private static boolean bool(JsonNode n, String where) {
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(where + " must be true or false, got " + n);
    }
    return n.asBoolean();
  }

  private static long integer(JsonNode n, String where) {
    if (!n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException(where + " must be a whole number, got " + n);
    }
    return n.asLong();
  }

  private static List<String> strings(JsonNode n, String where) {
    if (!n.isArray()) {
      throw new IllegalArgumentException(where + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException(where + " must be a list of strings, got " + e);
      }
      out.add(e.asText());
    }
    return out;
  }

  /**
   * Parses a duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} (a bare
   * number is seconds).
   *
   * @throws IllegalArgumentException naming {@code where} when malformed
   */
  public static Duration parseDuration(String text, String where) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(where + " must be a duration like 500ms, 30s, 5m, 2h or 1d, got '" + text + "'");
    }
    long v = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(v);
      case "s" -> Duration.ofSeconds(v);
      case "m" -> Duration.ofMinutes(v);
      case "h" -> Duration.ofHours(v);
      default -> Duration.ofDays(v);
    };
  }

  private static Duration duration(JsonNode n, String where) {
    if (n.isIntegralNumber()) {
      return Duration.ofSeconds(n.asLong());
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(where + " must be a duration like 30s, got " + n);
    }
    return parseDuration(n.asText(), where);
  }

  private static void positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }

  private static void atLeast(String what, long v, long min) {
    if (v < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", got " + v);
    }
  }

  /** Builds a {@link ProxyConfig}; starts from every default. */
  public static final class Builder {
    private final String upstream;
    private String listenHost = DEFAULT_LISTEN_HOST;
    private int listenPort = DEFAULT_LISTEN_PORT;
    private boolean preserveHost = DEFAULT_PRESERVE_HOST;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private List<String> routes = new ArrayList<>();
    private List<CacheRule> cacheRules = new ArrayList<>();
    private long maxCacheObjectBytes = DEFAULT_MAX_CACHE_OBJECT_BYTES;
    private int maxRoutes = DEFAULT_MAX_ROUTES;
    private boolean compression = DEFAULT_COMPRESSION;
    private int compressMinBytes = DEFAULT_COMPRESS_MIN_BYTES;
    private int etagMaxBytes = DEFAULT_ETAG_MAX_BYTES;
    private int initialConcurrency = DEFAULT_INITIAL_CONCURRENCY;
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private int minConcurrency = DEFAULT_MIN_CONCURRENCY;
    private double clientRatePerSecond = DEFAULT_CLIENT_RATE_PER_SECOND;
    private int clientBurst = DEFAULT_CLIENT_BURST;
    private List<String> trustedProxies = new ArrayList<>();
    private String healthPath;
    private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
    private int healthFailures = DEFAULT_HEALTH_FAILURES;
    private int maxRequestHeaderBytes = DEFAULT_MAX_REQUEST_HEADER_BYTES;
    private int requestBufferBytes = DEFAULT_REQUEST_BUFFER_BYTES;
    private long requestBufferTotalBytes = DEFAULT_REQUEST_BUFFER_TOTAL_BYTES;
    private long minUploadRate = DEFAULT_MIN_UPLOAD_RATE;
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxWebSockets = DEFAULT_MAX_WEBSOCKETS;
    private String userIdHeader = DEFAULT_USER_ID_HEADER;

    private Builder(String upstream) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
    }

    /** Listen address as {@code host:port} (port 0 picks a free one). */
    public Builder listen(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("proxy.listen must be host:port, got '" + hostPort + "'");
      }
      try {
        this.listenPort = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("proxy.listen port must be a number, got '" + hostPort + "'", e);
      }
      String host = hostPort.substring(0, colon);
      this.listenHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      return this;
    }

    /** Listen address and port. */
    public Builder listen(String host, int port) {
      this.listenHost = host;
      this.listenPort = port;
      return this;
    }

    /** Whether the client's Host header goes upstream. */
    public Builder preserveHost(boolean on) {
      this.preserveHost = on;
      return this;
    }

    /** Upstream connect timeout. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /** Upstream read (idle) timeout. */
    public Builder readTimeout(Duration d) {
      this.readTimeout = d;
      return this;
    }

    /** Longest a request head may take to arrive, from its first byte. */
    public Builder headerTimeout(Duration d) {
      this.headerTimeout = d;
      return this;
    }

    /** Most client connections open at once. */
    public Builder maxConnections(long max) {
      this.maxConnections = (int) Math.min(max, Integer.MAX_VALUE);
      return this;
    }

    /** Extra route templates. */
    public Builder routes(List<String> templates) {
      this.routes = new ArrayList<>(templates);
      return this;
    }

    /** Adds a cache rule (first match wins). */
    public Builder cacheRule(CacheRule rule) {
      this.cacheRules.add(rule);
      return this;
    }

    /** Largest cached body. */
    public Builder maxCacheObjectBytes(long bytes) {
      this.maxCacheObjectBytes = bytes;
      return this;
    }

    /** Most route templates tracked. */
    public Builder maxRoutes(long max) {
      this.maxRoutes = (int) Math.min(Integer.MAX_VALUE, max);
      return this;
    }

    /** Whether to gzip. */
    public Builder compression(boolean on) {
      this.compression = on;
      return this;
    }

    /** Concurrency limits towards the upstream. */
    public Builder concurrency(int initial, int min, int max) {
      this.initialConcurrency = initial;
      this.minConcurrency = min;
      this.maxConcurrency = max;
      return this;
    }

    /** Per-client rate limit (0: unlimited). */
    public Builder clientRate(double perSecond, int burst) {
      this.clientRatePerSecond = perSecond;
      this.clientBurst = burst;
      return this;
    }

    /** Proxies (CIDRs) whose X-Forwarded-For is believed. */
    public Builder trustedProxies(List<String> cidrs) {
      this.trustedProxies = new ArrayList<>(cidrs);
      return this;
    }

    /** Active health check path (null: TCP connect). */
    public Builder healthPath(String path) {
      this.healthPath = path;
      return this;
    }

    /** Active health check interval and the failures that mean down. */
    public Builder health(Duration interval, int failures) {
      this.healthInterval = interval;
      this.healthFailures = failures;
      return this;
    }

    /** Largest request head. */
    public Builder maxRequestHeaderBytes(int bytes) {
      this.maxRequestHeaderBytes = bytes;
      return this;
    }

    /** Upstream response header naming the user. */
    public Builder userIdHeader(String header) {
      this.userIdHeader = header;
      return this;
    }

    /** Largest request body read whole before it goes upstream (0: stream every body). */
    public Builder requestBufferBytes(int bytes) {
      this.requestBufferBytes = bytes;
      return this;
    }

    /** Most bytes of request bodies held in memory at once while they are read whole. */
    public Builder requestBufferTotalBytes(long bytes) {
      this.requestBufferTotalBytes = bytes;
      return this;
    }

    /** Slowest a request body may arrive, bytes per second (0: no minimum). */
    public Builder minUploadRate(long bytesPerSecond) {
      this.minUploadRate = bytesPerSecond;
      return this;
    }

    /** The configuration. */
    public ProxyConfig build() {
      URI uri;
      try {
        uri = URI.create(upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("proxy.upstream is not a URL: '" + upstream + "'", e);
      }
      return new ProxyConfig(uri, listenHost, listenPort, preserveHost, connectTimeout, readTimeout, routes,
          cacheRules, maxCacheObjectBytes, maxRoutes, compression, compressMinBytes, etagMaxBytes,
          initialConcurrency, maxConcurrency, minConcurrency, clientRatePerSecond, clientBurst, trustedProxies,
          healthPath, healthInterval, healthFailures, maxRequestHeaderBytes, maxWebSockets, userIdHeader,
          requestBufferBytes, requestBufferTotalBytes, minUploadRate, headerTimeout, maxConnections);
    }
  }
}
