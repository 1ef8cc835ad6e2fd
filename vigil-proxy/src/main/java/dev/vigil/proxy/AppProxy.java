package dev.vigil.proxy;

import dev.vigil.cache.CacheManager;
import dev.vigil.proxy.internal.Exchange;
import dev.vigil.proxy.internal.Limits;
import dev.vigil.proxy.internal.ProxyEngine;
import dev.vigil.proxy.internal.ResponseCache;
import dev.vigil.proxy.internal.RouteStatsRegistry;
import dev.vigil.proxy.internal.RouteStatsRegistry.CacheOutcome;
import dev.vigil.proxy.internal.UpstreamHealth;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An accelerating reverse proxy in front of the user's own application: it listens on its own port
 * and forwards to one configured upstream only (never an open proxy), keeping per-route statistics
 * and a request log, answering from the shared response cache by rules, compressing and tagging
 * bodies with ETags, and shedding load when the upstream slows down.
 *
 * <pre>{@code
 * ProxyConfig config = ProxyConfig.builder("http://127.0.0.1:5000")
 *     .cacheRule(CacheRule.of("/api/projects/*", Duration.ofSeconds(30), "projects")).build();
 * try (AppProxy proxy = AppProxy.start(config, cacheManager, meterRegistry, Clock.systemUTC())) {
 *   proxy.routes();            // per route template: count, error rate, p50/p95/p99, bytes, hit rate
 *   proxy.purgeTag("projects");
 * }
 * }</pre>
 */
public final class AppProxy implements AutoCloseable {
  /** The SLF4J logger each proxied request is logged to when no listener is given. */
  public static final String REQUEST_LOGGER = "vigil.proxy.requests";
  private static final Logger LOG = LoggerFactory.getLogger(AppProxy.class);
  private static final Logger REQUESTS = LoggerFactory.getLogger(REQUEST_LOGGER);

  private final ProxyConfig config;
  private final ProxyEngine engine;
  private final RouteStatsRegistry stats;
  private final ResponseCache cache;
  private final Limits limits;
  private final UpstreamHealth health;
  private final String listen;
  private final Clock clock;
  private final Map<String, CacheRuleInfo> runtimeRules = new ConcurrentHashMap<>();

  private AppProxy(ProxyConfig config, CacheManager cacheManager, MeterRegistry meters, Clock clock,
      Consumer<ProxyRequestRecord> requestListener) throws IOException {
    this.config = config;
    this.clock = clock;
    this.stats = new RouteStatsRegistry(meters, config.maxRoutes());
    // with a shared cache the response cache exists even without configured rules, so rules can be added
    this.cache = cacheManager == null ? null : new ResponseCache(cacheManager, config.cacheRules());
    if (!config.cacheRules().isEmpty() && cacheManager == null) {
      throw new IllegalArgumentException("proxy.cache.rules are set but no CacheManager was given");
    }
    this.limits = new Limits(config);
    Consumer<ProxyRequestRecord> sink = requestListener != null ? requestListener : AppProxy::logRecord;
    this.engine = new ProxyEngine(config, clock, stats, cache, limits, x -> record(x, sink, clock));
    this.listen = config.listenHost() + ":" + engine.port();
    this.health = new UpstreamHealth(config.upstream(), config.healthPath(), config.healthInterval(),
        config.healthFailures(), config.connectTimeout(), clock, engine::probe);
    engine.health(health);
    Gauge.builder("vigil.proxy.concurrency.limit", limits, Limits::limit).register(meters);
    Gauge.builder("vigil.proxy.inflight", limits, Limits::inFlight).register(meters);
    Gauge.builder("vigil.proxy.rejected", limits, Limits::rejected).register(meters);
    Gauge.builder("vigil.proxy.upstream.up", health, h -> h.up() ? 1 : 0).register(meters);
    Gauge.builder("vigil.proxy.uploads.streaming", engine, ProxyEngine::streamedUploads).register(meters);
    Gauge.builder("vigil.proxy.connections", engine, ProxyEngine::connections).register(meters);
    FunctionCounter.builder("vigil.proxy.connections.refused", engine, ProxyEngine::refusedConnections)
        .description("Client connections closed as they were accepted: proxy.max_connections were open")
        .register(meters);
    Gauge.builder("vigil.proxy.request.buffered", engine, ProxyEngine::bufferedRequestBytes).baseUnit("bytes")
        .register(meters);
    LOG.info("application proxy listening on {} for {}", listen, config.upstream());
  }

  /**
   * Starts a proxy. Requests are logged to the {@value #REQUEST_LOGGER} SLF4J logger.
   *
   * @param config what to proxy and how
   * @param cacheManager the shared cache responses are kept in (may be null when there are no cache rules)
   * @param meters where meters go (null: kept in memory only)
   * @param clock time for cache freshness and the request log
   * @throws IOException when the listen address cannot be bound
   */
  public static AppProxy start(ProxyConfig config, CacheManager cacheManager, MeterRegistry meters, Clock clock)
      throws IOException {
    return start(config, cacheManager, meters, clock, null);
  }

  /**
   * Starts a proxy handing each proxied request's record to {@code requestListener} (instead of the
   * SLF4J logger); the listener runs on the request's thread and must not block.
   *
   * @throws IOException when the listen address cannot be bound
   */
  public static AppProxy start(ProxyConfig config, CacheManager cacheManager, MeterRegistry meters, Clock clock,
      Consumer<ProxyRequestRecord> requestListener) throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    return new AppProxy(config, cacheManager, meters == null ? new SimpleMeterRegistry() : meters, clock,
        requestListener);
  }

  /** The address clients connect to, {@code host:port}. */
  public String listen() {
    return listen;
  }

  /** The port clients connect to. */
  public int port() {
    return engine.port();
  }

  /** The configuration. */
  public ProxyConfig config() {
    return config;
  }

  /** Traffic per route template, busiest first. */
  public List<RouteStats> routes() {
    return stats.snapshot();
  }

  /** The proxy at a glance, including whether the upstream is up. */
  public ProxySummary summary() {
    long total = stats.total();
    long errors = stats.errors();
    long hits = stats.hits();
    long misses = stats.misses();
    return new ProxySummary(config.upstream().toString(), listen, health.up(), health.consecutiveFailures(),
        health.lastCheck(), health.lastError(), total, errors, total == 0 ? 0 : (double) errors / total, hits, misses,
        hits + misses == 0 ? 0 : (double) hits / (hits + misses), stats.stale(), limits.limit(), limits.inFlight(),
        limits.rejected(), engine.openWebSockets(), cacheRules());
  }

  /**
   * The sampled requests of a route template in {@code [from, to)}, oldest first: at most one request
   * every 250 ms per route is kept, the last 4096 of them, with latency, cache outcome and whether the
   * answer changed since the previous one to the same URL. Empty for a route never seen.
   */
  public List<RouteSample> samples(String route, Instant from, Instant to) {
    return stats.samples(Objects.requireNonNull(route, "route"), from.toEpochMilli(), to.toEpochMilli());
  }

  /** The cache rules in force: the configured ones first, then those added at run time, in order. */
  public List<CacheRuleInfo> cacheRules() {
    if (cache == null) {
      return List.of();
    }
    List<CacheRule> rules = cache.rules();
    List<CacheRuleInfo> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      CacheRule r = rules.get(i);
      CacheRuleInfo added = i < cache.configured() ? null : runtimeRules.get(r.path());
      out.add(added != null ? added : CacheRuleInfo.of(r, CacheRuleInfo.CONFIG, null, null));
    }
    return out;
  }

  /** The rule that would answer a request of {@code method} for {@code path}, if any. */
  public Optional<CacheRule> cacheRule(String method, String path) {
    return cache == null ? Optional.empty() : Optional.ofNullable(cache.rule(method, path));
  }

  /**
   * Adds a cache rule while the proxy runs, after the configured rules (which keep precedence); the next
   * request sees it. Its copies carry a tag of their own, so removing the rule purges exactly them.
   *
   * @param addedBy who adds it (e.g. {@code optimizer}), listed in the summary
   * @return the rule in force (with its own tag added)
   * @throws IllegalStateException when the proxy has no shared cache
   * @throws IllegalArgumentException when a rule with the same path is in force
   */
  public CacheRule addCacheRule(CacheRule rule, String addedBy) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(addedBy, "addedBy");
    if (cache == null) {
      throw new IllegalStateException("the application proxy was started without a shared cache, so it cannot add "
          + "the cache rule for " + rule.path());
    }
    Set<String> tags = new HashSet<>(rule.tags());
    tags.add(runtimeTag(rule.path()));
    CacheRule tagged = new CacheRule(rule.path(), rule.methods(), rule.ttl(), rule.vary(), tags, rule.perUser(),
        rule.staleWhileRevalidate(), rule.staleIfError());
    synchronized (runtimeRules) {
      runtimeRules.put(tagged.path(), CacheRuleInfo.of(tagged, CacheRuleInfo.RUNTIME, addedBy, clock.instant()));
      try {
        cache.add(tagged);
      } catch (RuntimeException e) {
        runtimeRules.remove(tagged.path());
        throw e;
      }
    }
    LOG.info("cache rule for {} (ttl {}) added by {}", tagged.path(), tagged.ttl(), addedBy);
    return tagged;
  }

  /**
   * Removes a rule added at run time and purges the copies it cached; the next request goes upstream.
   * Configured rules are never removed.
   *
   * @return the copies purged, or empty when no such rule had been added (nothing to do)
   */
  public Optional<PurgeResult> removeCacheRule(String path) {
    Objects.requireNonNull(path, "path");
    if (cache == null) {
      return Optional.empty();
    }
    CacheRule removed;
    synchronized (runtimeRules) {
      removed = cache.remove(path);
      runtimeRules.remove(path);
    }
    if (removed == null) {
      return Optional.empty();
    }
    PurgeResult purged = cache.purgeTag(runtimeTag(path));
    LOG.info("cache rule for {} removed; {} cached copies purged", path, purged.removed());
    return Optional.of(purged);
  }

  /** The tag of the copies a run-time rule caches: derived from its path, so it survives restarts. */
  private static String runtimeTag(String path) {
    CRC32C crc = new CRC32C();
    crc.update(path.getBytes(StandardCharsets.UTF_8));
    return "runtime-" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(path.length());
  }

  /**
   * Purges cached responses: {@code by} is {@code prefix} (a path prefix), {@code tag} (a rule tag),
   * {@code route} (a route template) or {@code all}.
   *
   * @throws IllegalArgumentException for an unknown {@code by} or a malformed value
   * @throws IllegalStateException when no cache rule is in force
   */
  public PurgeResult purge(String by, String value) {
    if (cache == null || cache.rules().isEmpty()) {
      throw new IllegalStateException("the application proxy has no cache rules, so nothing is cached to purge");
    }
    return switch (by == null ? "" : by) {
      case "prefix" -> cache.purgePrefix(value);
      case "tag" -> cache.purgeTag(value);
      case "route" -> cache.purgeRoute(value);
      case "all" -> cache.purgeAll();
      default -> throw new IllegalArgumentException("purge by must be prefix, tag, route or all, got '" + by + "'");
    };
  }

  @Override
  public void close() {
    health.close();
    engine.close();
  }

  private void record(Exchange x, Consumer<ProxyRequestRecord> sink, Clock clock) {
    long nanos = System.nanoTime() - x.startNanos();
    String route = x.route() != null ? x.route() : "invalid";
    int status = x.status();
    CacheOutcome cache = x.cache();
    stats.record(route, status, nanos, x.bytes(), cache);
    if (x.sampled()) {
      stats.sample(route, clock.millis(), x.method(), status, nanos, cache,
          x.path() + (x.query() == null ? "" : "?" + x.query()), x.answer(), x.credentials(), x.personal());
    }
    String path = x.path();
    if (path.length() > 2048) {
      path = path.substring(0, 2048) + "...";
    }
    String ua = x.userAgent();
    if (ua != null && ua.length() > 512) {
      ua = ua.substring(0, 512) + "...";
    }
    try {
      sink.accept(new ProxyRequestRecord(clock.instant(), x.method(), path, status, nanos / 1_000_000.0, x.userId(),
          x.client(), ua, route, cache == CacheOutcome.NONE ? null : cache.name().replace('_', '-')));
    } catch (RuntimeException e) {
      LOG.warn("the request-log listener failed for {} {}", x.method(), path, e);
    }
  }

  private static void logRecord(ProxyRequestRecord r) {
    if (REQUESTS.isInfoEnabled()) {
      REQUESTS.info("{} {} {} {}ms route={} cache={} ip={} user={}", r.method(), r.path(), r.statusCode(),
          String.format("%.2f", r.responseTimeMs()), r.route(), r.cache(), r.ipAddress(), r.userId());
    }
  }
}
