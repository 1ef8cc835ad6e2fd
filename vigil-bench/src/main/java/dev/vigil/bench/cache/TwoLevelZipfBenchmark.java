package dev.vigil.bench.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.CacheMode;
import dev.vigil.cache.stats.CacheStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code cache.two_level_zipf}: reads of keys drawn from Zipf(0.99) over 1,000,000 keys, all present in
 * Redis (loaded once, pipelined, before the first trial; a miss would load through the loader), two-level
 * with L1 holding 1 % of the keys (10,000) against Redis-only. 2 threads replay the same pre-generated
 * request stream. At the end of the trial the cache's hit rates are appended to the file named by
 * {@code -Dvigil.bench.out}; {@link CacheBench} deletes the keys after the suite.
 */
@State(Scope.Benchmark)
@Threads(2)
public class TwoLevelZipfBenchmark {
  private static final int KEYS = 1_000_000;
  private static final int STREAM = 1 << 21;

  /** {@code two_level} (Vigil) or {@code redis} (baseline). */
  @Param({"two_level", "redis"})
  public String mode;

  private CacheManager cache;
  private String[] names;
  private int[] stream;
  private final Function<String, String> loader = k -> "v" + k;

  /** Per-thread position in the request stream (threads start at different offsets). */
  @State(Scope.Thread)
  public static class Cursor {
    int i = (int) (Thread.currentThread().getId() * 7919) & (STREAM - 1);
  }

  /** Builds the key names, the request stream and the cache. */
  @Setup(Level.Trial)
  public void setUp() {
    names = new String[KEYS];
    for (int k = 0; k < KEYS; k++) {
      names[k] = "z:" + k;
    }
    stream = new Zipf(KEYS, 0.99).sample(STREAM, 42);
    try (CacheManager filler = BenchRedis.cache(CacheMode.REDIS, 1000, "bench-zipf-fill")) {
      if (!filler.exists(names[KEYS - 1])) {
        Map<String, String> chunk = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
          chunk.put(names[k], loader.apply(names[k]));
          if (chunk.size() == 10_000) {
            filler.setAll(chunk, Duration.ofHours(1));
            chunk.clear();
          }
        }
      }
    }
    cache = BenchRedis.cache("two_level".equals(mode) ? CacheMode.TWO_LEVEL : CacheMode.REDIS, KEYS / 100,
        "bench-zipf-" + mode);
  }

  /** Records the hit rates and closes the cache (the keys stay for the other mode). */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    CacheStats s = cache.stats();
    String out = System.getProperty("vigil.bench.out");
    if (out != null) {
      String line = String.format(Locale.ROOT, "%s hit_rate=%.2f l1_hit_rate=%.2f requests=%d%n", mode, s.hitRate(),
          s.levels().get("l1").hitRate(), s.totalRequests());
      Files.writeString(Path.of(out), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    cache.close();
  }

  /** One read through the cache. */
  @Benchmark
  public String read(Cursor c) {
    String key = names[stream[(c.i++) & (STREAM - 1)]];
    return cache.get(key, String.class, Duration.ofHours(1), loader);
  }
}
