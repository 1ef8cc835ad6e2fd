package dev.vigil.cache.warming;

import dev.vigil.cache.CacheManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the cache with values that will be asked for (the documented {@code warmupCache}): registered
 * warmers name their keys and how to load them; {@link #start()} runs them all at once and then every
 * interval (default five minutes). A key whose loader throws is counted and logged; the
 * others are still stored.
 */
public final class CacheWarmer implements AutoCloseable {
  /** The documented interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(CacheWarmer.class);

  /** What one warmer did in one run. */
  public record Report(String warmer, int warmed, int failed, Duration took, Instant at) {
  }

  private record Warmer(String name, Supplier<? extends Collection<String>> keys, Function<String, ?> loader,
      Duration ttl, String category) {
  }

  private final CacheManager cache;
  private final Duration interval;
  private final Clock clock;
  private final List<Warmer> warmers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final AtomicLong runs = new AtomicLong();
  private volatile List<Report> lastReports = List.of();
  private volatile boolean started;

  /** A warmer for {@code cache} running every {@code interval}. */
  public CacheWarmer(CacheManager cache, Duration interval, Clock clock) {
    this.cache = Objects.requireNonNull(cache, "cache");
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("warming interval must be positive, got " + interval);
    }
    this.interval = interval;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-cache-warmer-" + cache.nodeId());
      t.setDaemon(true);
      return t;
    });
  }

  /** A warmer for {@code cache} running every five minutes. */
  public CacheWarmer(CacheManager cache) {
    this(cache, DEFAULT_INTERVAL, Clock.systemUTC());
  }

  /** Registers a warmer storing its values for {@code ttl}. */
  public CacheWarmer register(String name, Supplier<? extends Collection<String>> keys, Function<String, ?> loader,
      Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("TTL of warmer '" + name + "' must be positive, got " + ttl);
    }
    return add(new Warmer(name, keys, loader, ttl, null));
  }

  /** Registers a warmer storing its values under a TTL category (e.g. {@code market_prices}). */
  public CacheWarmer register(String name, Supplier<? extends Collection<String>> keys, Function<String, ?> loader,
      String category) {
    cache.ttlProfiles().profile(category);
    return add(new Warmer(name, keys, loader, null, category));
  }

  private CacheWarmer add(Warmer w) {
    if (w.name() == null || w.name().isBlank()) {
      throw new IllegalArgumentException("warmer name must not be blank");
    }
    Objects.requireNonNull(w.keys(), "keys");
    Objects.requireNonNull(w.loader(), "loader");
    for (Warmer existing : warmers) {
      if (existing.name().equals(w.name())) {
        throw new IllegalArgumentException("a warmer named '" + w.name() + "' is already registered");
      }
    }
    warmers.add(w);
    return this;
  }

  /** Runs every warmer now in the background, then every interval. Call once. */
  public void start() {
    if (started) {
      throw new IllegalStateException("cache warmer already started");
    }
    started = true;
    scheduler.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs every warmer now on the calling thread and returns what each did. */
  public List<Report> runNow() {
    List<Report> reports = new ArrayList<>();
    for (Warmer w : warmers) {
      reports.add(run(w));
    }
    lastReports = List.copyOf(reports);
    runs.incrementAndGet();
    return reports;
  }

  /** Complete runs so far. */
  public long runs() {
    return runs.get();
  }

  /** The reports of the last complete run. */
  public List<Report> lastReports() {
    return lastReports;
  }

  private void runQuietly() {
    try {
      runNow();
    } catch (RuntimeException e) {
      LOG.error("cache warming run failed; next run in {}", interval, e);
    }
  }

  private Report run(Warmer w) {
    Instant at = clock.instant();
    long start = System.nanoTime();
    int failed = 0;
    Map<String, Object> values = new LinkedHashMap<>();
    Collection<String> keys;
    try {
      keys = w.keys().get();
    } catch (RuntimeException e) {
      LOG.warn("warmer '{}' could not list its keys", w.name(), e);
      return new Report(w.name(), 0, 1, Duration.ofNanos(System.nanoTime() - start), at);
    }
    for (String key : keys) {
      try {
        Object v = w.loader().apply(key);
        if (v != null) {
          values.put(key, v);
        }
      } catch (RuntimeException e) {
        failed++;
        LOG.warn("warmer '{}' could not load key '{}'", w.name(), key, e);
      }
    }
    if (w.ttl() != null) {
      cache.setAll(values, w.ttl());
    } else {
      values.forEach((k, v) -> cache.set(k, v, w.category()));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    LOG.info("warmer '{}' stored {} key(s), {} failed, in {} ms", w.name(), values.size(), failed, took.toMillis());
    return new Report(w.name(), values.size(), failed, took, at);
  }

  /** Stops the schedule (a run in progress finishes its current key). */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
