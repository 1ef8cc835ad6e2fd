package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.cache.memoize.Cached;
import dev.vigil.cache.memoize.KeyDerivation;
import dev.vigil.cache.memoize.Memoized;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoizeTest {
  public record Summary(long projectId, long totalCost, int itemsCount) {
  }

  /** The seed's examples as an interface. */
  public interface ProjectService {
    @Cached(ttl = 1800, keyPrefix = "boq")
    Summary boqSummary(long projectId);

    @Cached(ttl = 600)
    List<String> gantt(long projectId, String view);

    @Cached(keyPrefix = "static", category = "static_data")
    String settings();

    @Cached(ttl = 60, keyPrefix = "failing")
    String failing(String id) throws IOException;

    String notCached(long id);
  }

  static final class Db implements ProjectService {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Summary boqSummary(long projectId) {
      calls.incrementAndGet();
      return new Summary(projectId, 1_500_000, 250);
    }

    @Override
    public List<String> gantt(long projectId, String view) {
      calls.incrementAndGet();
      return List.of(projectId + "-" + view);
    }

    @Override
    public String settings() {
      calls.incrementAndGet();
      return "s";
    }

    @Override
    public String failing(String id) throws IOException {
      calls.incrementAndGet();
      throw new IOException("disk gone for " + id);
    }

    @Override
    public String notCached(long id) {
      calls.incrementAndGet();
      return "n" + id;
    }
  }

  @Test
  void memoizedFunctionCachesInvalidatesAndClears() {
    try (CacheManager cache = CacheManager.builder().build()) {
      AtomicInteger calls = new AtomicInteger();
      Memoized<Long, String> getUser = cache.memoize("user", Duration.ofMinutes(10), String.class, id -> {
        calls.incrementAndGet();
        return "user-" + id;
      });
      assertThat(getUser.get(123L)).isEqualTo("user-123");
      assertThat(getUser.get(123L)).isEqualTo("user-123");
      assertThat(calls).hasValue(1);
      assertThat(getUser.keyOf(123L)).isEqualTo("user:123");
      assertThat(cache.get("user:123", String.class)).contains("user-123");
      assertThat(getUser.invalidate(123L)).isTrue();
      getUser.get(123L);
      getUser.get(7L);
      assertThat(calls).hasValue(3);
      assertThat(getUser.clear()).isEqualTo(2);
      getUser.get(7L);
      assertThat(calls).hasValue(4);
      Memoized<Long, Object> untyped = cache.memoize("raw", Duration.ofMinutes(1), id -> Map.of("id", id));
      assertThat(untyped.get(5L)).isEqualTo(Map.of("id", 5L));
    }
  }

  @Test
  void concurrentCallsWithOneArgumentRunTheFunctionOnce() throws Exception {
    try (CacheManager cache = CacheManager.builder().build()) {
      AtomicInteger calls = new AtomicInteger();
      CountDownLatch release = new CountDownLatch(1);
      Memoized<Integer, Integer> slow = cache.memoize("slow", Duration.ofMinutes(1), Integer.class, x -> {
        calls.incrementAndGet();
        await(release);
        return x * 2;
      });
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> slow.get(21)));
      }
      org.awaitility.Awaitility.await().until(() -> calls.get() == 1);
      release.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(42);
      }
      pool.shutdown();
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void cachedProxyCachesAnnotatedMethodsOnly() throws Exception {
    try (CacheManager cache = CacheManager.builder().build()) {
      Db db = new Db();
      ProjectService service = cache.cached(ProjectService.class, db);
      assertThat(service.boqSummary(42)).isEqualTo(new Summary(42, 1_500_000, 250));
      assertThat(service.boqSummary(42)).isEqualTo(new Summary(42, 1_500_000, 250));
      assertThat(db.calls).hasValue(1);
      assertThat(cache.exists("boq:42")).isTrue();

      assertThat(service.gantt(42, "week")).containsExactly("42-week");
      assertThat(service.gantt(42, "week")).containsExactly("42-week");
      assertThat(service.gantt(42, "month")).containsExactly("42-month");
      assertThat(db.calls).hasValue(3);
      assertThat(cache.exists("ProjectService.gantt:42:week")).isTrue();

      service.settings();
      service.settings();
      assertThat(cache.exists("static")).isTrue();
      assertThat(db.calls).hasValue(4);

      service.notCached(1);
      service.notCached(1);
      assertThat(db.calls).hasValue(6);

      assertThatThrownBy(() -> service.failing("x")).isInstanceOf(IOException.class).hasMessage("disk gone for x");
      assertThatThrownBy(() -> service.failing("x")).isInstanceOf(IOException.class);
      assertThat(db.calls).hasValue(8);
      assertThat(service.toString()).contains("ProjectService");
      assertThat(service).isEqualTo(service);
    }
  }

  @Test
  void cachedProxyRefusesWhatItCannotCache() {
    interface Bad {
      @Cached
      void nothing();
    }
    try (CacheManager cache = CacheManager.builder().build()) {
      assertThatThrownBy(() -> cache.cached(Bad.class, () -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad.nothing returns void");
      assertThatThrownBy(() -> cache.cached(Object.class, new Object())).hasMessageContaining("not an interface");
    }
  }

  @Test
  void keyDerivationIsDocumentedAndUnambiguous() {
    record Filter(String status, int page) {
    }
    assertThat(KeyDerivation.key("user", 123)).isEqualTo("user:123");
    assertThat(KeyDerivation.key("user", "a:b")).isEqualTo("user:a:b");
    assertThat(KeyDerivation.key("p")).isEqualTo("p");
    assertThat(KeyDerivation.key("p", "a:b", "c")).isEqualTo("p:a\\:b:c");
    assertThat(KeyDerivation.key("p", "a", "b:c")).isEqualTo("p:a:b\\:c");
    assertThat(KeyDerivation.key("p", (Object) null)).isEqualTo("p:~null");
    assertThat(KeyDerivation.key("p", new Filter("open", 2))).isEqualTo("p:{\"page\":2,\"status\":\"open\"}");
    assertThat(KeyDerivation.key("p", Map.of("b", 1, "a", 2))).isEqualTo("p:{\"a\":2,\"b\":1}");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
