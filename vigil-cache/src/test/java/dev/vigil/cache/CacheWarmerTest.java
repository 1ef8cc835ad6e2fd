package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.warming.CacheWarmer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheWarmerTest {
  @Test
  void warmersRunAtStartAndThenEveryInterval() {
    try (CacheManager cache = CacheManager.builder().build();
        CacheWarmer warmer = new CacheWarmer(cache, Duration.ofMillis(200), Clock.systemUTC())) {
      AtomicInteger price = new AtomicInteger(100);
      warmer.register("prices", () -> List.of("price:BTCUSDT", "price:ETHUSDT", "price:BAD"), key -> {
        if (key.endsWith("BAD")) {
          throw new IllegalStateException("no such symbol");
        }
        return price.incrementAndGet();
      }, "market_prices");
      warmer.register("top", () -> List.of("top_analysts"), key -> List.of("a", "b"), Duration.ofHours(1));
      warmer.start();
      await().until(() -> warmer.runs() >= 1);
      assertThat(cache.get("top_analysts", List.class)).contains(List.of("a", "b"));
      assertThat(cache.exists("price:BTCUSDT")).isTrue();
      assertThat(warmer.lastReports()).extracting(CacheWarmer.Report::warmer, CacheWarmer.Report::warmed,
          CacheWarmer.Report::failed).containsExactly(org.assertj.core.groups.Tuple.tuple("prices", 2, 1),
          org.assertj.core.groups.Tuple.tuple("top", 1, 0));
      int first = cache.get("price:BTCUSDT", Integer.class).orElseThrow();
      await().until(() -> warmer.runs() >= 3);
      assertThat(cache.get("price:BTCUSDT", Integer.class).orElseThrow()).isGreaterThan(first);
      assertThat(CacheWarmer.DEFAULT_INTERVAL).isEqualTo(Duration.ofMinutes(5));
    }
  }

  @Test
  void registrationErrorsNameTheWarmer() {
    try (CacheManager cache = CacheManager.builder().build(); CacheWarmer warmer = new CacheWarmer(cache)) {
      warmer.register("a", List::of, k -> 1, Duration.ofMinutes(1));
      assertThatThrownBy(() -> warmer.register("a", List::of, k -> 1, Duration.ofMinutes(1)))
          .hasMessageContaining("'a' is already registered");
      assertThatThrownBy(() -> warmer.register("b", List::of, k -> 1, "nope")).hasMessageContaining("'nope'");
    }
  }
}
