package dev.vigil.server.cache;

import static dev.vigil.core.config.ValueParser.durationText;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.redis.RedisEndpoint;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import java.time.Duration;
import java.util.List;

/** The {@code cache.*} settings; their defaults are the cache library's. */
public final class CacheSettings {
  private CacheSettings() {
  }

  /** Whether the cache uses Redis as its second level. */
  public static final Setting<Boolean> USE_REDIS = Setting.of("cache.use_redis", ValueParser.bool(), "false",
      "use Redis as the L2 cache", "USE_REDIS_CACHE");
  /** Redis host. */
  public static final Setting<String> REDIS_HOST = Setting.of("cache.redis.host", ValueParser.text(),
      RedisEndpoint.DEFAULT_HOST, "Redis host", "REDIS_HOST");
  /** Redis port. */
  public static final Setting<Integer> REDIS_PORT = Setting.of("cache.redis.port", ValueParser.integer(1, 65535),
      Integer.toString(RedisEndpoint.DEFAULT_PORT), "Redis port", "REDIS_PORT");
  /** Redis logical database. */
  public static final Setting<Integer> REDIS_DB = Setting.of("cache.redis.db", ValueParser.integer(0, 15),
      Integer.toString(RedisEndpoint.DEFAULT_DATABASE), "Redis database number", "REDIS_DB");
  /** Redis password. */
  public static final Setting<String> REDIS_PASSWORD = Setting.of("cache.redis.password", ValueParser.text(), null,
      "Redis password", "REDIS_PASSWORD").masked(Setting.Secret.WHOLE);
  /** A full Redis URI (standalone, Sentinel or Cluster); wins over host/port/db. */
  public static final Setting<String> REDIS_URI = Setting.of("cache.redis.uri",
      ValueParser.matching("(redis|rediss|redis-sentinel|redis-cluster)://.+",
          "a redis://, rediss://, redis-sentinel:// or redis-cluster:// URI"), null,
      "Redis URI for Sentinel or Cluster; wins over host/port/db", "REDIS_URL")
      .masked(Setting.Secret.URL_PASSWORD);
  /** L1 capacity. */
  public static final Setting<Integer> CACHE_MAX_ENTRIES = Setting.of("cache.max_entries",
      ValueParser.integer(1, 100_000_000), Long.toString(CacheManager.DEFAULT_MAX_ENTRIES),
      "most entries kept in the in-process L1 cache");
  /** Default time to live. */
  public static final Setting<Duration> CACHE_DEFAULT_TTL = Setting.of("cache.default_ttl",
      ValueParser.duration(Duration.ofSeconds(1), Duration.ofDays(365)), durationText(CacheManager.DEFAULT_TTL),
      "default time to live of an entry");
  /** Prefix of the cache's Redis keys, so several deployments (or tests) can share one Redis database. */
  public static final Setting<String> CACHE_KEY_PREFIX = Setting.of("cache.key_prefix",
      ValueParser.matching("[A-Za-z0-9_.:-]{1,64}", "1 to 64 letters, digits, '_', '.', ':' or '-'"),
      CacheManager.DEFAULT_KEY_PREFIX, "prefix of every Redis key, channel and lock of the cache");

  /** Every cache setting, in the order {@code vigil config} prints them. */
  public static final List<Setting<?>> ALL = List.of(USE_REDIS, REDIS_HOST, REDIS_PORT, REDIS_DB, REDIS_PASSWORD,
      REDIS_URI, CACHE_MAX_ENTRIES, CACHE_DEFAULT_TTL, CACHE_KEY_PREFIX);
}
