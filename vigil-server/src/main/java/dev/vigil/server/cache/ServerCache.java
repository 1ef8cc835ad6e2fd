package dev.vigil.server.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.redis.RedisEndpoint;
import dev.vigil.cache.redis.RedisOptions;
import dev.vigil.core.config.VigilConfig;
import java.time.Clock;

/**
 * The server's own {@link CacheManager}, built from config: in memory when {@code USE_REDIS_CACHE} is off,
 * two-level (Caffeine L1 + Redis L2) when on. Redis comes from {@code REDIS_URL} (standalone, Sentinel or
 * Cluster URI) when set, else from {@code REDIS_HOST/PORT/DB/PASSWORD}. An unreachable Redis at start does
 * not stop the server: the cache starts degraded (in memory) and connects in the background.
 */
public final class ServerCache {
  private ServerCache() {
  }

  /** Opens the cache {@code config} describes; the caller closes it. */
  public static CacheManager open(VigilConfig config, Clock clock) {
    CacheManager.Builder b = CacheManager.builder()
        .maxEntries(config.get(CacheSettings.CACHE_MAX_ENTRIES))
        .defaultTtl(config.get(CacheSettings.CACHE_DEFAULT_TTL))
        .keyPrefix(config.get(CacheSettings.CACHE_KEY_PREFIX))
        .clock(clock);
    if (config.get(CacheSettings.USE_REDIS)) {
      b.redis(RedisOptions.of(endpoint(config)));
    }
    return b.build();
  }

  /** Where Redis is: {@code REDIS_URL} when set, else host, port, db and password. */
  public static RedisEndpoint endpoint(VigilConfig config) {
    return config.find(CacheSettings.REDIS_URI).map(RedisEndpoint::parse)
        .orElseGet(() -> RedisEndpoint.standalone(config.get(CacheSettings.REDIS_HOST), config.get(CacheSettings.REDIS_PORT),
            config.get(CacheSettings.REDIS_DB), config.find(CacheSettings.REDIS_PASSWORD).orElse(null)));
  }
}
