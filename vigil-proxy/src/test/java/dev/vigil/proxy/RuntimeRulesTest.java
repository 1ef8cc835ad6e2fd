package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.CacheManager;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cache rules added and removed while the proxy runs, in front of a real Flask application, and the
 * route samples (latency, cache outcome, whether answers change) a change is measured by.
 */
class RuntimeRulesTest {
  static TestApps.App flask;
  private final MutableClock clock = new MutableClock();
  private CacheManager cache;
  private AppProxy proxy;

  @BeforeAll
  static void startApp() throws Exception {
    flask = TestApps.flask();
  }

  @AfterAll
  static void stopApp() {
    flask.close();
  }

  @AfterEach
  void close() {
    if (proxy != null) {
      proxy.close();
    }
    if (cache != null) {
      cache.close();
    }
  }

  private AppProxy start(CacheRule... configured) throws Exception {
    cache = CacheManager.builder().clock(clock).build();
    ProxyConfig.Builder b = ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0);
    for (CacheRule r : configured) {
      b.cacheRule(r);
    }
    proxy = AppProxy.start(b.build(), cache, null, clock);
    return proxy;
  }

  private HttpResponse<String> get(String path) throws Exception {
    clock.advance(Duration.ofMillis(300)); // past the sample spacing, so every request here is sampled
    return Http.get("http://127.0.0.1:" + proxy.port() + path);
  }

  /** A route's samples once {@code n} are there: a sample is kept just after the client has its answer. */
  private List<RouteSample> samples(String route, Instant from, Instant to, int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.samples(route, from, to).size() >= n);
    return proxy.samples(route, from, to);
  }

  private static String cacheHeader(HttpResponse<?> r) {
    return r.headers().firstValue("X-Vigil-Cache").orElse("none");
  }

  @Test
  void aRuleAddedAtRunTimeAnswersTheNextRequestAndItsRemovalPurgesWhatItCached() throws Exception {
    start(CacheRule.of("/api/projects", Duration.ofSeconds(30)));
    assertThat(cacheHeader(get("/api/counter"))).isEqualTo("none");

    CacheRule added = proxy.addCacheRule(CacheRule.of("/api/counter", Duration.ofSeconds(60)), "optimizer");
    HttpResponse<String> miss = get("/api/counter");
    HttpResponse<String> hit = get("/api/counter");
    assertThat(cacheHeader(miss)).isEqualTo("MISS");
    assertThat(cacheHeader(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(proxy.summary().cacheRules()).satisfiesExactly(
        r -> {
          assertThat(r.path()).isEqualTo("/api/projects");
          assertThat(r.source()).isEqualTo(CacheRuleInfo.CONFIG);
          assertThat(r.addedBy()).isNull();
        },
        r -> {
          assertThat(r.path()).isEqualTo("/api/counter");
          assertThat(r.source()).isEqualTo(CacheRuleInfo.RUNTIME);
          assertThat(r.addedBy()).isEqualTo("optimizer");
          assertThat(r.addedAt()).isEqualTo(clock.instant().minusMillis(600));
          assertThat(r.ttlSeconds()).isEqualTo(60);
          assertThat(r.tags()).isEqualTo(added.tags());
        });
    assertThatThrownBy(() -> proxy.addCacheRule(CacheRule.of("/api/counter", Duration.ofSeconds(5)), "optimizer"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/api/counter");
    assertThat(proxy.cacheRule("GET", "/api/counter")).hasValue(added);

    assertThat(proxy.removeCacheRule("/api/counter")).hasValueSatisfying(p -> assertThat(p.removed()).isEqualTo(1));
    HttpResponse<String> after = get("/api/counter");
    assertThat(cacheHeader(after)).isEqualTo("none");
    assertThat(after.body()).isNotEqualTo(hit.body());
    assertThat(proxy.summary().cacheRules()).extracting(CacheRuleInfo::path).containsExactly("/api/projects");
    // removing again is a no-op, and configured rules are never removed
    assertThat(proxy.removeCacheRule("/api/counter")).isEmpty();
    assertThat(proxy.removeCacheRule("/api/projects")).isEmpty();
    assertThat(cacheHeader(get("/api/projects"))).isEqualTo("MISS");
  }

  @Test
  void rulesChangedWhileRequestsFlowNeverBreakARequest() throws Exception {
    start();
    String url = "http://127.0.0.1:" + proxy.port() + "/api/projects";
    ExecutorService clients = Executors.newFixedThreadPool(4, r -> new Thread(r, "test-client"));
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Integer>> done = new ArrayList<>();
    try {
      for (int c = 0; c < 4; c++) {
        done.add(clients.submit(() -> {
          int n = 0;
          while (!stop.get()) {
            HttpResponse<String> r = Http.get(url);
            if (r.statusCode() != 200 || !r.body().contains("Project 59")) {
              throw new IllegalStateException("answer " + r.statusCode() + ": " + r.body());
            }
            n++;
          }
          return n;
        }));
      }
      for (int i = 0; i < 40; i++) {
        proxy.addCacheRule(CacheRule.of("/api/projects", Duration.ofSeconds(30)), "optimizer");
        Http.get(url);
        assertThat(proxy.removeCacheRule("/api/projects")).isPresent();
      }
    } finally {
      stop.set(true);
      clients.shutdown();
    }
    int answered = 0;
    for (Future<Integer> f : done) {
      answered += f.get(30, TimeUnit.SECONDS);
    }
    assertThat(answered).isPositive();
    assertThat(proxy.cacheRules()).isEmpty();
    assertThat(cacheHeader(get("/api/projects"))).isEqualTo("none");
  }

  @Test
  void samplesTellStableAnswersFromChangingOnesAndMarkPersonalAnswers() throws Exception {
    start();
    Instant from = clock.instant();
    for (int i = 0; i < 5; i++) {
      get("/api/projects/7");
      get("/api/counter");
      get("/api/login");
      get("/api/private");
    }
    Instant to = clock.instant().plusMillis(1);
    List<RouteSample> stable = samples("/api/projects/{id}", from, to, 5);
    assertThat(stable).hasSize(5).allSatisfy(s -> {
      assertThat(s.method()).isEqualTo("GET");
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.ms()).isPositive();
      assertThat(s.personal()).isFalse();
      assertThat(s.credentials()).isFalse();
    });
    List<RouteSample> counter = samples("/api/counter", from, to, 5);
    assertThat(counter).hasSize(5);
    assertThat(counter.subList(1, 5)).allSatisfy(s -> assertThat(s.answerChanged()).isTrue());
    assertThat(counter.get(0).answerChanged()).isNull();
    assertThat(samples("/api/private", from, to, 5)).hasSize(5).allSatisfy(s -> assertThat(s.personal()).isTrue());
    assertThat(samples("/api/login", from, to, 5)).hasSize(5).allSatisfy(s -> assertThat(s.status()).isEqualTo(405));

    Instant f2 = clock.instant();
    for (int i = 0; i < 4; i++) {
      get("/api/projects");
    }
    assertThat(samples("/api/projects", f2, clock.instant().plusMillis(1), 4)).hasSize(4)
        .extracting(RouteSample::answerChanged).containsExactly(null, false, false, false);
    // within the sample spacing only one request of a route is kept
    clock.advance(Duration.ofMillis(300));
    Instant f3 = clock.instant();
    for (int i = 0; i < 3; i++) {
      Http.get("http://127.0.0.1:" + proxy.port() + "/api/projects");
    }
    assertThat(samples("/api/projects", f3, clock.instant().plusMillis(1), 1)).hasSize(1);
    assertThat(proxy.samples("/nothing", f3, clock.instant())).isEmpty();
    assertThat(Objects.requireNonNull(proxy.routes())).isNotEmpty();
  }
}
