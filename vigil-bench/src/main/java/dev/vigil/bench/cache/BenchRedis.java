package dev.vigil.bench.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.CacheMode;
import dev.vigil.cache.redis.RedisOptions;
import java.time.Duration;

/** The Redis the cache benchmarks use: {@code $REDIS_URL} or 127.0.0.1:6379 database 14, prefix {@code vigil:bench:}. */
final class BenchRedis {
  static final String URI = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379/14");
  static final String PREFIX = "vigil:bench:";

  private BenchRedis() {
  }

  /** A cache over the bench Redis; fails loudly if Redis is not there (a benchmark must not measure memory only). */
  static CacheManager cache(CacheMode mode, long maxEntries, String nodeId) {
    CacheManager cache = CacheManager.builder()
        .redis(RedisOptions.of(URI).withCommandTimeout(Duration.ofSeconds(2)))
        .mode(mode)
        .keyPrefix(PREFIX)
        .maxEntries(maxEntries)
        .l1MaxTtl(Duration.ofHours(1))
        .nodeId(nodeId)
        .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (cache.degraded() || (mode == CacheMode.TWO_LEVEL && !cache.stats().redis().l1Trusted())) {
      if (System.nanoTime() > deadline) {
        cache.close();
        throw new IllegalStateException("Redis at " + URI + " is not reachable; start it before ./bench/run cache");
      }
      Thread.onSpinWait();
    }
    return cache;
  }
}
