package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.stampede.EarlyRefresh;
import dev.vigil.cache.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EarlyRefreshTest {
  @Test
  void probabilityRisesTowardsExpiry() {
    EarlyRefresh xfetch = new EarlyRefresh(1.0, 0.0);
    long expiry = 100_000;
    assertThat(xfetch.shouldRefresh(0, expiry, 100_000, 1000, 0.5)).isFalse();
    assertThat(xfetch.shouldRefresh(expiry - 500, expiry, 100_000, 1000, 0.5)).isTrue();
    assertThat(xfetch.shouldRefresh(expiry - 5000, expiry, 100_000, 1000, 0.5)).isFalse();
    assertThat(xfetch.shouldRefresh(expiry - 5000, expiry, 100_000, 1000, 0.001)).isTrue();
    assertThat(EarlyRefresh.OFF.shouldRefresh(expiry, expiry, 100_000, 1000, 0.001)).isFalse();
    assertThat(new EarlyRefresh(1.0, 0.05).shouldRefresh(expiry - 3000, expiry, 100_000, 0, 0.5)).isTrue();
  }

  @Test
  void aHotKeyIsRefreshedOnceBeforeItExpiresWhileReadersKeepTheOldValue() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    try (CacheManager cache = CacheManager.builder().clock(clock).earlyRefresh(new EarlyRefresh(1.0, 0.05)).build()) {
      AtomicInteger loads = new AtomicInteger();
      CountDownLatch refreshMayFinish = new CountDownLatch(1);
      java.util.function.Function<String, Integer> loader = k -> {
        int n = loads.incrementAndGet();
        if (n > 1) {
          try {
            refreshMayFinish.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return n;
      };
      Duration ttl = Duration.ofSeconds(100);
      assertThat(cache.get("hot", Integer.class, ttl, loader)).isEqualTo(1);
      clock.advance(Duration.ofSeconds(99));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> reads = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        reads.add(pool.submit(() -> cache.get("hot", Integer.class, ttl, loader)));
      }
      for (Future<Integer> f : reads) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      }
      refreshMayFinish.countDown();
      await().until(() -> cache.get("hot", Integer.class).orElse(0) == 2);
      pool.shutdown();
      assertThat(loads).hasValue(2);
      assertThat(cache.stats().loads().refreshes()).isEqualTo(1);
    }
  }
}
