package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.redis.RedisOptions;
import dev.vigil.cache.testing.RedisAdmin;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The multi-node behaviour every Redis topology must show: run by {@link StandaloneRedisTest} (the
 * shared server on 6379) and {@link ClusterRedisTest} (a private 3-master cluster). Every test uses its
 * own key prefix and deletes its keys afterwards.
 */
abstract class DistributedCacheContract {
  protected String prefix;
  private final List<CacheManager> opened = new ArrayList<>();

  /** The cache URI, with {@code userInfo} ({@code user:pass@} or empty) for ACL tests. */
  protected abstract String uri(String userInfo);

  /** Admin connections to every master. */
  protected abstract RedisAdmin admin();

  @BeforeEach
  void newPrefix() {
    prefix = "vt:" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  @AfterEach
  void cleanUp() {
    opened.forEach(CacheManager::close);
    opened.clear();
    admin().deleteMatching(prefix + "*");
  }

  protected CacheManager node(String id, boolean clusterLock, CacheMode mode) {
    return node(id, clusterLock, mode, "");
  }

  protected CacheManager node(String id, boolean clusterLock, CacheMode mode, String userInfo) {
    CacheManager c = CacheManager.builder()
        .redis(RedisOptions.of(uri(userInfo)).withProbeInterval(Duration.ofMillis(100))
            .withCommandTimeout(Duration.ofSeconds(1)))
        .mode(mode)
        .keyPrefix(prefix)
        .nodeId(id + "-" + prefix.substring(3, 11))
        .clusterLock(clusterLock)
        .build();
    opened.add(c);
    await().atMost(Duration.ofSeconds(10)).until(() -> !c.degraded()
        && (mode != CacheMode.TWO_LEVEL || c.stats().redis().l1Trusted()));
    return c;
  }

  @Test
  void basicsGoThroughRedisAndAreSharedBetweenNodes() {
    CacheManager a = node("a", false, CacheMode.TWO_LEVEL);
    CacheManager b = node("b", false, CacheMode.REDIS);
    assertThat(a.cacheType()).isEqualTo("two_level");
    assertThat(b.cacheType()).isEqualTo("redis");
    a.set("user:123", Map.of("name", "Ahmed", "role", "Admin"), Duration.ofSeconds(300));
    assertThat(b.get("user:123")).contains(Map.of("name", "Ahmed", "role", "Admin"));
    assertThat(b.exists("user:123")).isTrue();
    assertThat(b.delete("user:123")).isTrue();
    await().until(() -> a.get("user:123").isEmpty());
    a.set("n", 7L, Duration.ofMillis(300));
    await().atMost(Duration.ofSeconds(5)).until(() -> !b.exists("n"));
    assertThat(a.stats().levels()).containsKeys("l1", "l2");
    assertThat(a.stats().redis().state()).isEqualTo("up");
    for (int i = 0; i < 30; i++) {
      a.set("page:" + i, i);
    }
    List<String> listed = new ArrayList<>();
    String cursor = "0";
    do {
      KeyPage page = b.keys("page:", cursor, 7);
      listed.addAll(page.keys());
      cursor = page.cursor();
    } while (!"0".equals(cursor));
    assertThat(Set.copyOf(listed)).hasSize(30);
    assertThat(b.stats().totalKeys()).isEqualTo(30);
    a.clear();
    assertThat(admin().count(prefix + "*")).isZero();
  }

  @Test
  void everyKeyPageHoldsExactlyTheLimitAndNoKeyIsLostOrRepeated() {
    CacheManager a = node("a", false, CacheMode.REDIS);
    Set<String> all = new java.util.TreeSet<>();
    for (int i = 0; i < 95; i++) {
      a.set("pg:" + i, i);
      all.add("pg:" + i);
    }
    a.set("other:1", 1);
    for (int limit : new int[] {1, 2, 7, 10, 95, 200}) {
      List<String> listed = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      String cursor = "0";
      do {
        KeyPage page = a.keys("pg:", cursor, limit);
        sizes.add(page.keys().size());
        listed.addAll(page.keys());
        cursor = page.cursor();
      } while (!"0".equals(cursor));
      assertThat(listed).as("limit " + limit).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
      assertThat(sizes.subList(0, sizes.size() - 1)).as("limit " + limit).allMatch(n -> n == limit);
      assertThat(sizes.get(sizes.size() - 1)).as("limit " + limit).isBetween(95 % limit == 0 ? 0 : 95 % limit, limit);
    }
  }

  @Test
  void anotherNodeNeverServesTheOldValueOnceTheInvalidationIsDelivered() throws Exception {
    CacheManager a = node("a", false, CacheMode.TWO_LEVEL);
    CacheManager b = node("b", false, CacheMode.TWO_LEVEL);
    String key = "acct:1";
    a.set(key, 0);
    assertThat(b.get(key, Integer.class)).contains(0);
    AtomicBoolean reading = new AtomicBoolean(true);
    List<Throwable> readerErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread r = new Thread(() -> {
        while (reading.get()) {
          try {
            b.get(key, Integer.class);
          } catch (Throwable e) {
            readerErrors.add(e);
          }
        }
      }, "reader-" + t);
      r.start();
      readers.add(r);
    }
    int rounds = 300;
    long[] delays = new long[rounds];
    for (int i = 1; i <= rounds; i++) {
      long before = b.stats().redis().invalidationsReceived();
      a.set(key, i);
      long start = System.nanoTime();
      long deadline = start + TimeUnit.SECONDS.toNanos(5);
      while (b.stats().redis().invalidationsReceived() <= before) {
        assertThat(System.nanoTime()).as("invalidation %d delivered within 5 s", i).isLessThan(deadline);
        Thread.onSpinWait();
      }
      delays[i - 1] = System.nanoTime() - start;
      assertThat(b.get(key, Integer.class)).as("read on b after delivery of write %d", i).contains(i);
    }
    reading.set(false);
    for (Thread r : readers) {
      r.join();
    }
    assertThat(readerErrors).isEmpty();
    Arrays.sort(delays);
    System.out.printf("cross-node invalidation delay (%s): p50=%.3f ms p99=%.3f ms max=%.3f ms over %d writes%n",
        getClass().getSimpleName(), delays[rounds / 2] / 1e6, delays[(int) (rounds * 0.99) - 1] / 1e6,
        delays[rounds - 1] / 1e6, rounds);
  }

  @Test
  void noStaleReadAfterThePubSubConnectionIsKilled() {
    CacheManager a = node("a", false, CacheMode.TWO_LEVEL);
    CacheManager b = node("b", false, CacheMode.TWO_LEVEL);
    long received = b.stats().redis().invalidationsReceived();
    a.set("k", "v1");
    await().until(() -> b.stats().redis().invalidationsReceived() > received);
    assertThat(b.get("k", String.class)).contains("v1");
    assertThat(b.get("k", String.class)).contains("v1");
    long hitsBefore = b.stats().levels().get("l1").hits();
    assertThat(hitsBefore).isPositive();
    for (int round = 0; round < 3; round++) {
      long losses = b.stats().redis().invalidationLosses();
      assertThat(admin().killPubSubOf(b.nodeId())).isPositive();
      await().atMost(Duration.ofSeconds(5)).until(() -> b.stats().redis().invalidationLosses() > losses);
      a.set("k", "v" + (round + 2));
      assertThat(b.get("k", String.class)).contains("v" + (round + 2));
      await().atMost(Duration.ofSeconds(10)).until(() -> b.stats().redis().l1Trusted());
      String next = "w" + round;
      a.set("k", next);
      await().atMost(Duration.ofSeconds(5)).until(() -> b.get("k", String.class).orElseThrow().equals(next));
    }
    long l1HitsAfter = b.stats().levels().get("l1").hits();
    b.get("k", String.class);
    assertThat(b.stats().levels().get("l1").hits()).as("L1 answers again once the channel is verified")
        .isGreaterThan(l1HitsAfter);
  }

  @Test
  void stampedeRunsTheLoaderOncePerClusterWithTheLockAndOncePerNodeWithout() throws Exception {
    assertThat(stampede(true)).isEqualTo(1);
    cleanUp();
    newPrefix();
    assertThat(stampede(false)).isEqualTo(2);
  }

  private int stampede(boolean clusterLock) throws Exception {
    CacheManager a = node("a", clusterLock, CacheMode.TWO_LEVEL);
    CacheManager b = node("b", clusterLock, CacheMode.TWO_LEVEL);
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(128);
    List<Future<String>> results = new ArrayList<>();
    for (CacheManager node : List.of(a, b)) {
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> {
          gate.await();
          return node.get("cold", String.class, Duration.ofMinutes(1), k -> {
            loads.incrementAndGet();
            sleep(300);
            return "loaded";
          });
        }));
      }
    }
    gate.countDown();
    for (Future<String> f : results) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("loaded");
    }
    pool.shutdown();
    return loads.get();
  }

  @Test
  void prefixAndTagInvalidationOfTenThousandKeysWorkWithoutKeysCommand() {
    String user = "vigil-nokeys-" + UUID.randomUUID().toString().substring(0, 6);
    String password = UUID.randomUUID().toString();
    admin().createUserWithoutKeys(user, password);
    try {
      assertKeysIsForbidden(user, password);
      CacheManager a = node("a", false, CacheMode.TWO_LEVEL, user + ":" + password + "@");
      CacheManager b = node("b", false, CacheMode.TWO_LEVEL, user + ":" + password + "@");
      Map<String, Integer> batch = new HashMap<>();
      for (int i = 0; i < 10_000; i++) {
        batch.put("px:" + i, i);
      }
      a.setAll(batch, Duration.ofMinutes(5));
      a.set("keep:1", 1);
      assertThat(b.get("px:42", Integer.class)).contains(42);
      assertThat(admin().count(prefix + "px:*")).isEqualTo(10_000);
      assertThat(a.invalidatePrefix("px:")).isEqualTo(10_000);
      assertThat(admin().count(prefix + "px:*")).isZero();
      await().until(() -> b.get("px:42", Integer.class).isEmpty());
      assertThat(b.exists("keep:1")).isTrue();

      Map<String, Integer> even = new HashMap<>();
      Map<String, Integer> odd = new HashMap<>();
      for (int i = 0; i < 10_000; i++) {
        (i % 2 == 0 ? even : odd).put("tg:" + i, i);
      }
      a.setAll(even, Duration.ofMinutes(5), Set.of("even", "all"));
      a.setAll(odd, Duration.ofMinutes(5), Set.of("all"));
      assertThat(b.get("tg:4", Integer.class)).contains(4);
      assertThat(b.get("tg:5", Integer.class)).contains(5);
      assertThat(a.invalidateTag("even")).isEqualTo(5_000);
      await().until(() -> b.get("tg:4", Integer.class).isEmpty());
      assertThat(b.get("tg:5", Integer.class)).contains(5);
      a.setAll(even, Duration.ofMinutes(5), Set.of("all"));
      assertThat(admin().count(prefix + "tg:*")).isEqualTo(10_000);
      assertThat(a.invalidateTag("all")).isEqualTo(10_000);
      assertThat(admin().count(prefix + "tg:*")).isZero();
      await().until(() -> b.get("tg:5", Integer.class).isEmpty());
      assertThatThrownBy(() -> b.set("x", 1, Duration.ofMinutes(1), Set.of(""))).hasMessageContaining("tag");
    } finally {
      opened.forEach(CacheManager::close);
      opened.clear();
      admin().deleteUser(user);
    }
  }

  private void assertKeysIsForbidden(String user, String password) {
    int port = firstPort();
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.builder().withHost("127.0.0.1")
        .withPort(port).withAuthentication(user, password).build())) {
      assertThatThrownBy(() -> c.sync().keys("*")).isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageContaining("NOPERM");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** The port of the first master. */
  protected abstract int firstPort();

  protected static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
