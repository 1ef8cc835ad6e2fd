package dev.vigil.proxy.internal;

import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.RouteSample;
import dev.vigil.proxy.RouteStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;

/**
 * Per-route-template counters and latency percentiles, bounded in cardinality: past
 * {@code maxRoutes} templates, new ones count under {@value ProxyConfig#OTHER_ROUTE}. Route templates
 * are the only request-derived meter tags.
 */
public final class RouteStatsRegistry {
  /** Cache outcomes. */
  public enum CacheOutcome { HIT, MISS, STALE, REVALIDATED, STALE_IF_ERROR, BYPASS, NONE }

  private final MeterRegistry registry;
  private final int maxRoutes;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder stale = new LongAdder();

  /** Stats over a meter registry. */
  public RouteStatsRegistry(MeterRegistry registry, int maxRoutes) {
    this.registry = registry;
    this.maxRoutes = maxRoutes;
  }

  /** The bounded route name for a template. */
  public String bound(String template) {
    if (routes.containsKey(template) || routes.size() < maxRoutes) {
      return template;
    }
    return ProxyConfig.OTHER_ROUTE;
  }

  /** Records one answered request. */
  public void record(String template, int status, long nanos, long bytes, CacheOutcome cache) {
    Route r = routes.get(template);
    if (r == null) {
      r = routes.computeIfAbsent(bound(template), Route::new);
    }
    r.timer.record(nanos, TimeUnit.NANOSECONDS);
    r.bytes.add(bytes);
    r.bytesCounter.increment(bytes);
    total.increment();
    if (status >= 500) {
      r.errors.increment();
      r.errorCounter.increment();
      errors.increment();
    }
    switch (cache) {
      case HIT, STALE, STALE_IF_ERROR, REVALIDATED -> {
        r.hits.increment();
        r.hitCounter.increment();
        hits.increment();
        if (cache == CacheOutcome.STALE || cache == CacheOutcome.STALE_IF_ERROR) {
          stale.increment();
        }
      }
      case MISS -> {
        r.misses.increment();
        r.missCounter.increment();
        misses.increment();
      }
      default -> { }
    }
  }

  /**
   * Whether a request to {@code route} arriving at {@code nowMs} (the proxy's clock) is kept as a sample
   * (at most one per route every {@value RouteSamples#SPACING_MS} ms).
   */
  public boolean admitSample(String route, long nowMs) {
    return routes.computeIfAbsent(bound(route), Route::new).samples.admit(nowMs);
  }

  /**
   * Keeps one admitted request as a sample of its route.
   *
   * @param url path and query (answers are compared per URL)
   * @param answer checksum of the body answered ({@link #checksum}), or null when not taken
   */
  public void sample(String route, long atMs, String method, int status, long nanos, CacheOutcome cache, String url,
      Long answer, boolean credentials, boolean personal) {
    routes.computeIfAbsent(bound(route), Route::new).samples.add(atMs, method, status, nanos / 1e6, cache, url, answer,
        credentials, personal);
  }

  /** A route's samples in {@code [fromMs, toMs)}, oldest first (empty for an unknown route). */
  public List<RouteSample> samples(String route, long fromMs, long toMs) {
    Route r = routes.get(route);
    return r == null ? List.of() : r.samples.between(fromMs, toMs);
  }

  /** The checksum answers are compared by: CRC32C of the body and its length. */
  public static long checksum(CRC32C crc, long length) {
    return crc.getValue() ^ (length << 32);
  }

  /** Requests answered. */
  public long total() {
    return total.sum();
  }

  /** 5xx answers. */
  public long errors() {
    return errors.sum();
  }

  /** Cache hits (fresh, stale, revalidated). */
  public long hits() {
    return hits.sum();
  }

  /** Cache misses. */
  public long misses() {
    return misses.sum();
  }

  /** Stale copies served. */
  public long stale() {
    return stale.sum();
  }

  /** Every route, busiest first. */
  public List<RouteStats> snapshot() {
    List<RouteStats> out = new ArrayList<>();
    for (Route r : routes.values()) {
      out.add(r.stats());
    }
    out.sort(Comparator.comparingLong(RouteStats::count).reversed().thenComparing(RouteStats::route));
    return out;
  }

  private final class Route {
    final String name;
    final Timer timer;
    final Counter errorCounter;
    final Counter hitCounter;
    final Counter missCounter;
    final Counter bytesCounter;
    final LongAdder errors = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final RouteSamples samples = new RouteSamples();

    Route(String name) {
      this.name = name;
      this.timer = Timer.builder("vigil.proxy.requests").description("Requests answered by the application proxy")
          .tag("route", name).publishPercentiles(0.5, 0.95, 0.99).register(registry);
      this.errorCounter = Counter.builder("vigil.proxy.errors").description("5xx answers").tag("route", name)
          .register(registry);
      this.hitCounter = Counter.builder("vigil.proxy.cache").tag("route", name).tag("result", "hit").register(registry);
      this.missCounter = Counter.builder("vigil.proxy.cache").tag("route", name).tag("result", "miss").register(registry);
      this.bytesCounter = Counter.builder("vigil.proxy.response.bytes").baseUnit("bytes").tag("route", name)
          .register(registry);
    }

    RouteStats stats() {
      HistogramSnapshot snap = timer.takeSnapshot();
      double p50 = 0;
      double p95 = 0;
      double p99 = 0;
      for (ValueAtPercentile v : snap.percentileValues()) {
        double ms = v.value(TimeUnit.MILLISECONDS);
        if (v.percentile() == 0.5) {
          p50 = ms;
        } else if (v.percentile() == 0.95) {
          p95 = ms;
        } else if (v.percentile() == 0.99) {
          p99 = ms;
        }
      }
      long count = timer.count();
      long e = errors.sum();
      long h = hits.sum();
      long m = misses.sum();
      return new RouteStats(name, count, e, count == 0 ? 0 : (double) e / count, round(p50), round(p95), round(p99),
          bytes.sum(), h, m, h + m == 0 ? 0 : (double) h / (h + m));
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
