package dev.vigil.bench.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.vigil.cache.CacheManager;
import dev.vigil.cache.CacheMode;
import java.time.Duration;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code cache.l1_get}: a hit in Vigil's in-process level of a two-level cache (Redis up, channel
 * verified, counters on) against a raw Caffeine {@code getIfPresent} on a cache configured as the L1 is
 * (bounded, per-entry expiry through an {@code Expiry}, {@code recordStats()}), over the same 8,192 keys,
 * 2 threads. The ratio is thus the cost of Vigil's wrapper: level checks, typed read, counters.
 */
@State(Scope.Benchmark)
@Threads(2)
public class L1GetBenchmark {
  private static final int KEYS = 8192;

  private CacheManager vigil;
  private Cache<String, String> caffeine;
  private String[] keys;

  /** Per-thread position in the key array. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;
  }

  /** Fills both caches with the same entries. */
  @Setup(Level.Trial)
  public void setUp() {
    vigil = BenchRedis.cache(CacheMode.TWO_LEVEL, KEYS * 2L, "bench-l1");
    caffeine = Caffeine.newBuilder().maximumSize(KEYS * 2L).recordStats()
        .expireAfter(new Expiry<String, String>() {
          @Override
          public long expireAfterCreate(String key, String value, long currentTime) {
            return Duration.ofHours(1).toNanos();
          }

          @Override
          public long expireAfterUpdate(String key, String value, long currentTime, long currentDuration) {
            return Duration.ofHours(1).toNanos();
          }

          @Override
          public long expireAfterRead(String key, String value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        }).build();
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "l1:" + i;
      String value = "value-" + i;
      vigil.set(keys[i], value, Duration.ofHours(1));
      caffeine.put(keys[i], value);
    }
  }

  /** Removes the benchmark's keys from Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    vigil.invalidatePrefix("l1:");
    vigil.close();
  }

  /** Vigil: {@code cache.get(key, String.class)} answered by L1. */
  @Benchmark
  public Optional<String> vigil(Cursor c) {
    return vigil.get(keys[(c.i++) & (KEYS - 1)], String.class);
  }

  /** Baseline: Caffeine {@code getIfPresent}. */
  @Benchmark
  public String baseline(Cursor c) {
    return caffeine.getIfPresent(keys[(c.i++) & (KEYS - 1)]);
  }
}
