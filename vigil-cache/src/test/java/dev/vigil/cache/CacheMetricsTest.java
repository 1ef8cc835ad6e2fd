package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cache.stats.CacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {
  @Test
  void metersFollowTheCounters() {
    try (CacheManager cache = CacheManager.builder().build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      new CacheMetrics(cache, "app").bindTo(registry);
      cache.get("a", String.class, Duration.ofMinutes(1), k -> "v");
      cache.get("a", String.class);
      cache.get("b", String.class);
      assertThat(registry.get("vigil.cache.gets").tags("cache", "app", "result", "hit", "level", "l1")
          .functionCounter().count()).isEqualTo(1.0);
      assertThat(registry.get("vigil.cache.misses").functionCounter().count()).isEqualTo(2.0);
      assertThat(registry.get("vigil.cache.loads").tags("result", "success").functionCounter().count()).isEqualTo(1.0);
      assertThat(registry.get("vigil.cache.load.duration").functionTimer().count()).isEqualTo(1.0);
      assertThat(registry.get("vigil.cache.load.duration").functionTimer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(registry.get("vigil.cache.size").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("vigil.cache.degraded").gauge().value()).isEqualTo(0.0);
    }
  }
}
