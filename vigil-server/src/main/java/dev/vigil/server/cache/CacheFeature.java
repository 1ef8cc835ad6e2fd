package dev.vigil.server.cache;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.stats.CacheMetrics;
import dev.vigil.core.config.Setting;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import java.util.List;

/**
 * The server's cache as a feature: its meters, {@code /api/cache/*} and a health check that says
 * when Redis is unreachable and the cache runs on memory alone. (The cache itself is opened with the
 * server, since other parts keep things in it.)
 */
public final class CacheFeature implements Feature {
  @Override
  public String name() {
    return "cache";
  }

  @Override
  public List<Setting<?>> settings() {
    return CacheSettings.ALL;
  }

  @Override
  public void start(ServerContext context) {
    CacheManager cache = context.cache();
    new CacheMetrics(cache, "vigil").bindTo(context.meters());
    context.health(name(), () -> cache.degraded()
        ? Health.degraded("Redis is unreachable; serving from memory only")
        : Health.up(cache.cacheType()));
    CacheApi.register(context.routes(), cache);
  }
}
