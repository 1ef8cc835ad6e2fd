package dev.vigil.cache.stats;

import dev.vigil.cache.CacheManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of one cache, read from its live counters (no extra work on the read path):
 * <ul>
 *   <li>{@code vigil.cache.gets{result=hit|miss, level=l1|l2}} and {@code vigil.cache.misses} (no level answered)</li>
 *   <li>{@code vigil.cache.loads{result=success|failure}}, {@code vigil.cache.load.duration} (timer)</li>
 *   <li>{@code vigil.cache.refreshes}, {@code vigil.cache.evictions}</li>
 *   <li>{@code vigil.cache.size} (in-process entries), {@code vigil.cache.degraded} (1 while Redis is down)</li>
 *   <li>{@code vigil.cache.hit.ratio{level=l1|l2|overall}}: hits / reads of that level since start, 0–1
 *       (NaN before its first read); for a windowed ratio use the {@code gets} counters with {@code rate()}</li>
 * </ul>
 * All carry the tag {@code cache=<name>}.
 */
public final class CacheMetrics implements MeterBinder {
  private final CacheManager cache;
  private final Tags tags;

  /** Meters for {@code cache}, tagged {@code cache=name}. */
  public CacheMetrics(CacheManager cache, String name) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.tags = Tags.of("cache", Objects.requireNonNull(name, "name"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    CacheCounters c = cache.counters();
    FunctionCounter.builder("vigil.cache.gets", c, CacheCounters::l1Hits).tags(tags.and("result", "hit", "level", "l1"))
        .description("reads answered or not by a level").register(registry);
    counter(registry, "vigil.cache.gets", "reads answered or not by a level", c.l1Misses, Tags.of("result", "miss", "level", "l1"));
    FunctionCounter.builder("vigil.cache.gets", c, CacheCounters::l2Hits).tags(tags.and("result", "hit", "level", "l2"))
        .description("reads answered or not by a level").register(registry);
    counter(registry, "vigil.cache.gets", "reads answered or not by a level", c.l2Misses, Tags.of("result", "miss", "level", "l2"));
    FunctionCounter.builder("vigil.cache.misses", c, CacheCounters::misses).tags(tags)
        .description("reads no level answered").register(registry);
    counter(registry, "vigil.cache.loads", "loader calls", c.loads, Tags.of("result", "success"));
    counter(registry, "vigil.cache.loads", "loader calls", c.loadFailures, Tags.of("result", "failure"));
    counter(registry, "vigil.cache.refreshes", "early refreshes of hot keys", c.refreshes, Tags.empty());
    counter(registry, "vigil.cache.evictions", "in-process entries evicted for size or expiry", c.evictions, Tags.empty());
    FunctionTimer.builder("vigil.cache.load.duration", c,
            x -> x.loads.sum() + x.loadFailures.sum(), x -> x.loadNanos.sum(), TimeUnit.NANOSECONDS)
        .tags(tags).description("time spent in the loader").register(registry);
    Gauge.builder("vigil.cache.size", cache, CacheManager::localSize).tags(tags)
        .description("entries in the in-process level").register(registry);
    ratio(registry, "l1", c, CacheCounters::l1Hits, x -> x.l1Misses.sum());
    ratio(registry, "l2", c, CacheCounters::l2Hits, x -> x.l2Misses.sum());
    ratio(registry, "overall", c, x -> x.l1Hits() + x.l2Hits(), CacheCounters::misses);
    Gauge.builder("vigil.cache.degraded", cache, x -> x.degraded() ? 1 : 0).tags(tags)
        .description("1 while a configured Redis is unreachable").register(registry);
  }

  private void ratio(MeterRegistry registry, String level, CacheCounters c, ToLongFunction<CacheCounters> hits,
      ToLongFunction<CacheCounters> misses) {
    Gauge.builder("vigil.cache.hit.ratio", c, x -> {
      long h = hits.applyAsLong(x);
      long total = h + misses.applyAsLong(x);
      return total == 0 ? Double.NaN : (double) h / total;
    }).tags(tags.and("level", level)).description("share of reads a level answered, since start").register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description, LongAdder adder, Tags extra) {
    FunctionCounter.builder(name, adder, LongAdder::sum).tags(tags.and(extra)).description(description)
        .register(registry);
  }
}
