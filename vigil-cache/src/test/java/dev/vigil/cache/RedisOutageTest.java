package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.redis.RedisOptions;
import dev.vigil.cache.testing.LoadGenerator;
import dev.vigil.cache.testing.RedisAdmin;
import dev.vigil.cache.testing.RedisProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis paused or stopped for 10 s, or absent at start, under concurrent load: no exception reaches a caller, stats
 * show the degraded state, and full service returns by itself. Uses a private {@code redis-server} so the
 * shared one on 6379 is never paused or stopped.
 */
class RedisOutageTest {
  /** How long Redis is paused or stopped under load (the 10 s). */
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  @TempDir
  Path dir;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private CacheManager node(String id, int port, CacheMode mode) {
    CacheManager c = CacheManager.builder()
        .redis(RedisOptions.of("redis://127.0.0.1:" + port + "/0").withProbeInterval(Duration.ofMillis(100)))
        .mode(mode)
        .nodeId(id)
        .build();
    resources.add(c);
    return c;
  }

  private RedisProcess server(int port) throws Exception {
    RedisProcess p = new RedisProcess(port, dir.resolve("redis"), List.of()).start();
    resources.add(p);
    return p;
  }

  @Test
  void pausedRedisUnderLoadNeverReachesCallers() throws Exception {
    RedisProcess redis = server(RedisProcess.freePort());
    CacheManager a = node("a", redis.port(), CacheMode.TWO_LEVEL);
    CacheManager b = node("b", redis.port(), CacheMode.TWO_LEVEL);
    await().until(() -> a.stats().redis().l1Trusted() && b.stats().redis().l1Trusted());
    LoadGenerator load = new LoadGenerator(List.of(a, b), 3, "k");
    try (RedisAdmin admin = new RedisAdmin(0, List.of(redis.port()))) {
      await().until(() -> load.operations() > 500);
      long pausedAt = System.nanoTime();
      admin.pauseAll(OUTAGE.toMillis());
      await().atMost(Duration.ofSeconds(5)).until(() -> a.degraded() && b.degraded());
      assertThat(a.stats().cacheType()).isEqualTo("in_memory");
      assertThat(a.stats().redis().state()).isEqualTo("down");
      long during = load.operations();
      await().atMost(OUTAGE.plusSeconds(15)).until(() -> !a.degraded() && !b.degraded());
      assertThat(Duration.ofNanos(System.nanoTime() - pausedAt)).as("Redis stayed paused for the whole outage")
          .isGreaterThanOrEqualTo(OUTAGE.minusMillis(500));
      assertThat(load.operations()).as("callers kept being served during the pause").isGreaterThan(during + 500);
      await().atMost(Duration.ofSeconds(5)).until(() -> a.stats().redis().l1Trusted() && b.stats().redis().l1Trusted());
    } finally {
      load.close();
    }
    assertThat(load.errors()).isEmpty();
    assertThat(a.stats().redis().outages()).isGreaterThanOrEqualTo(1);
    a.set("after", 1);
    await().until(() -> b.get("after", Integer.class).orElse(0) == 1);
    a.set("after", 2);
    await().until(() -> b.get("after", Integer.class).orElse(0) == 2);
  }

  @Test
  void stoppedRedisUnderLoadThenBackReplaysChangesMadeMeanwhile() throws Exception {
    int port = RedisProcess.freePort();
    RedisProcess redis = server(port);
    CacheManager a = node("a", port, CacheMode.TWO_LEVEL);
    CacheManager b = node("b", port, CacheMode.TWO_LEVEL);
    await().until(() -> a.stats().redis().l1Trusted() && b.stats().redis().l1Trusted());
    a.set("price:BTC", 100, Duration.ofHours(1));
    a.set("price:ETH", 10, Duration.ofHours(1));
    LoadGenerator load = new LoadGenerator(List.of(a, b), 3, "k");
    try {
      await().until(() -> load.operations() > 500);
      redis.stop(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> a.degraded() && b.degraded());
      long during = load.operations();
      a.delete("price:BTC");
      a.set("price:ETH", 11, Duration.ofHours(1));
      assertThat(a.get("price:ETH", Integer.class)).contains(11);
      AtomicInteger loads = new AtomicInteger();
      assertThat(b.get("fresh", String.class, Duration.ofMinutes(1), k -> "loaded-" + loads.incrementAndGet()))
          .isEqualTo("loaded-1");
      await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(20)).until(() -> load.operations() > during + 500);
      redis.start();
      await().atMost(Duration.ofSeconds(15)).until(() -> !a.degraded() && !b.degraded());
      await().atMost(Duration.ofSeconds(5)).until(() -> a.stats().redis().l1Trusted() && b.stats().redis().l1Trusted());
    } finally {
      load.close();
    }
    assertThat(load.errors()).isEmpty();
    assertThat(b.get("price:BTC", Integer.class)).as("delete made while Redis was down is replayed").isEmpty();
    assertThat(b.get("price:ETH", Integer.class)).as("the old value is not served after the outage").isEmpty();
    assertThat(a.stats().redis().pendingInvalidations()).isZero();
  }

  @Test
  void unreachableAtStartRunsInMemoryAndConnectsWhenRedisAppears() throws Exception {
    int port = RedisProcess.freePort();
    CacheManager a = node("a", port, CacheMode.TWO_LEVEL);
    assertThat(a.degraded()).isTrue();
    assertThat(a.cacheType()).isEqualTo("in_memory");
    a.set("k", "v");
    assertThat(a.get("k", String.class)).contains("v");
    assertThat(a.stats().redis().state()).isEqualTo("down");
    assertThat(a.stats().levels().get("l2").keys()).isEqualTo(-1);
    server(port);
    await().atMost(Duration.ofSeconds(10)).until(() -> !a.degraded());
    assertThat(a.cacheType()).isEqualTo("two_level");
    assertThat(a.get("k", String.class)).as("the in-memory write was local and is dropped on reconnect").isEmpty();
    a.set("k", "v2");
    CacheManager b = node("b", port, CacheMode.REDIS);
    assertThat(b.get("k", String.class)).contains("v2");
  }
}
