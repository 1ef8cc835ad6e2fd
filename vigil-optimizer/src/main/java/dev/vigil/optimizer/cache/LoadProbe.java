package dev.vigil.optimizer.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.observe.LoadEvent;
import dev.vigil.optimizer.Probe;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * A metric read from the loads the cache observed: one sample per load of the matching keys (loads a
 * metric does not apply to give NaN and are left out).
 */
final class LoadProbe implements Probe {
  private final CacheManager cache;
  private final String name;
  private final boolean lowerIsBetter;
  private final Predicate<String> keys;
  private final ToDoubleFunction<LoadEvent> value;

  LoadProbe(CacheManager cache, String name, boolean lowerIsBetter, Predicate<String> keys,
      ToDoubleFunction<LoadEvent> value) {
    this.cache = cache;
    this.name = name;
    this.lowerIsBetter = lowerIsBetter;
    this.keys = keys;
    this.value = value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean lowerIsBetter() {
    return lowerIsBetter;
  }

  @Override
  public double[] samples(Instant from, Instant to) {
    return cache.loadEvents(keys, from, to).stream().sorted((a, b) -> a.at().compareTo(b.at()))
        .mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray();
  }
}
