package dev.vigil.bench.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.CacheMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
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
 * {@code cache.l2_get}: a Redis-only cache's {@code get(key, String.class)} (envelope, JSON decode,
 * health check, counters) against a raw Lettuce synchronous {@code GET} of the same keys on one
 * connection, 1 thread (Redis round trips dominate both).
 */
@State(Scope.Benchmark)
@Threads(1)
public class L2GetBenchmark {
  private static final int KEYS = 1024;

  private CacheManager vigil;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> lettuce;
  private String[] keys;
  private int i;

  /** Writes the keys: through Vigil for Vigil, as plain strings for Lettuce. */
  @Setup(Level.Trial)
  public void setUp() {
    vigil = BenchRedis.cache(CacheMode.REDIS, 1000, "bench-l2");
    client = RedisClient.create(RedisURI.create(BenchRedis.URI));
    connection = client.connect();
    lettuce = connection.sync();
    keys = new String[KEYS];
    for (int k = 0; k < KEYS; k++) {
      keys[k] = "l2:" + k;
      String value = "value-" + k + "-" + "x".repeat(64);
      vigil.set(keys[k], value, Duration.ofHours(1));
      lettuce.set(BenchRedis.PREFIX + "raw:" + keys[k], value);
    }
  }

  /** Removes the keys and closes the connections. */
  @TearDown(Level.Trial)
  public void tearDown() {
    vigil.invalidatePrefix("l2:");
    vigil.invalidatePrefix("raw:");
    vigil.close();
    connection.close();
    client.shutdown();
  }

  /** Vigil: Redis-only cache read. */
  @Benchmark
  public Optional<String> vigil() {
    return vigil.get(keys[(i++) & (KEYS - 1)], String.class);
  }

  /** Baseline: Lettuce sync GET. */
  @Benchmark
  public String baseline() {
    return lettuce.get(BenchRedis.PREFIX + "raw:" + keys[(i++) & (KEYS - 1)]);
  }
}
