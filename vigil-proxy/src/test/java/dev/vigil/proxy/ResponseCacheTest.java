package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.cache.CacheManager;
import dev.vigil.cache.CacheMode;
import dev.vigil.cache.redis.RedisOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The response cache over vigil-cache's CacheManager, in front of a real Flask application. */
class ResponseCacheTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestApps.App flask;
  final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startApp() throws Exception {
    flask = TestApps.flask();
  }

  @AfterAll
  static void stopApp() {
    flask.close();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private AppProxy proxy(String upstream, MutableClock clock, CacheRule... rules) throws Exception {
    CacheManager cache = CacheManager.builder().clock(clock).build();
    opened.add(cache);
    return proxy(upstream, clock, cache, rules);
  }

  private AppProxy proxy(String upstream, MutableClock clock, CacheManager cache, CacheRule... rules) throws Exception {
    ProxyConfig.Builder b = ProxyConfig.builder(upstream).listen("127.0.0.1", 0);
    for (CacheRule r : rules) {
      b.cacheRule(r);
    }
    AppProxy p = AppProxy.start(b.build(), cache, null, clock);
    opened.add(p);
    return p;
  }

  private static String url(AppProxy p, String path) {
    return "http://127.0.0.1:" + p.port() + path;
  }

  private static long hits(String path) throws Exception {
    JsonNode h = JSON.readTree(Http.get(flask.url() + "/_hits").body());
    return h.has(path) ? h.get(path).asLong() : 0;
  }

  private static String cacheHeader(HttpResponse<?> r) {
    return r.headers().firstValue("X-Vigil-Cache").orElse("none");
  }

  @Test
  void hitsAreServedFromTheCacheWithAgeAndEtagAnd304() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock, CacheRule.of("/api/projects/*", Duration.ofSeconds(30), "projects"));
    long before = hits("/api/projects/5");
    HttpResponse<String> first = Http.get(url(p, "/api/projects/5"));
    assertThat(cacheHeader(first)).isEqualTo("MISS");
    clock.advance(Duration.ofSeconds(3));
    HttpResponse<String> second = Http.get(url(p, "/api/projects/5"));
    assertThat(cacheHeader(second)).isEqualTo("HIT");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("Age")).hasValue("3");
    String etag = second.headers().firstValue("ETag").orElseThrow();
    assertThat(Http.get(url(p, "/api/projects/5"), "If-None-Match", etag).statusCode()).isEqualTo(304);
    HttpResponse<String> head = Http.send("HEAD", url(p, "/api/projects/5"), null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(cacheHeader(head)).isEqualTo("HIT");
    assertThat(head.body()).isEmpty();
    assertThat(hits("/api/projects/5") - before).isEqualTo(1);
    // other query strings are other entries; nested paths do not match a single '*'
    assertThat(cacheHeader(Http.get(url(p, "/api/projects/5?x=1")))).isEqualTo("MISS");
    assertThat(cacheHeader(Http.get(url(p, "/api/projects/5/tasks/a")))).isEqualTo("none");
    RouteStats route = p.routes().stream().filter(r -> r.route().equals("/api/projects/{id}")).findFirst().orElseThrow();
    assertThat(route.cacheHits()).isGreaterThanOrEqualTo(3);
    assertThat(route.cacheHitRate()).isGreaterThan(0.5);
    clock.advance(Duration.ofSeconds(30));
    assertThat(cacheHeader(Http.get(url(p, "/api/projects/5")))).isEqualTo("MISS");
  }

  @Test
  void concurrentMissesOfOneKeyMakeOneUpstreamRequest() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock, CacheRule.of("/api/reports/**", Duration.ofSeconds(10)));
    long before = hits("/api/reports/slow");
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        all.add(CompletableFuture.supplyAsync(() -> {
          try {
            return Http.get(url(p, "/api/reports/slow?ms=400"));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, pool));
      }
      for (CompletableFuture<HttpResponse<String>> f : all) {
        HttpResponse<String> r = f.join();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("quarterly");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(hits("/api/reports/slow") - before).isEqualTo(1);
  }

  @Test
  void personalResponsesAreNeverShared() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock,
        CacheRule.of("/api/me", Duration.ofSeconds(30)),
        CacheRule.of("/api/private", Duration.ofSeconds(30)),
        CacheRule.of("/api/nostore", Duration.ofSeconds(30)),
        CacheRule.of("/api/login", Duration.ofSeconds(30)),
        CacheRule.of("/api/me2", Duration.ofSeconds(30)).withPerUser(true));
    long me = hits("/api/me");
    assertThat(cacheHeader(Http.get(url(p, "/api/me"), "Cookie", "session=alice"))).isEqualTo("none");
    HttpResponse<String> bob = Http.get(url(p, "/api/me"), "Cookie", "session=bob");
    assertThat(bob.body()).contains("session=bob");
    assertThat(cacheHeader(Http.get(url(p, "/api/me"), "Authorization", "Bearer x"))).isEqualTo("none");
    assertThat(hits("/api/me") - me).isEqualTo(3);

    long priv = hits("/api/private");
    Http.get(url(p, "/api/private"));
    Http.get(url(p, "/api/private"));
    assertThat(hits("/api/private") - priv).isEqualTo(2);
    long ns = hits("/api/nostore");
    Http.get(url(p, "/api/nostore"));
    Http.get(url(p, "/api/nostore"));
    assertThat(hits("/api/nostore") - ns).isEqualTo(2);
  }

  @Test
  void perUserRulesKeepOneCopyPerCaller() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock, CacheRule.of("/api/me", Duration.ofSeconds(30)).withPerUser(true));
    HttpResponse<String> alice = Http.get(url(p, "/api/me"), "Cookie", "session=alice");
    HttpResponse<String> bob = Http.get(url(p, "/api/me"), "Cookie", "session=bob");
    assertThat(alice.body()).contains("alice");
    assertThat(bob.body()).contains("bob");
    HttpResponse<String> alice2 = Http.get(url(p, "/api/me"), "Cookie", "session=alice");
    assertThat(cacheHeader(alice2)).isEqualTo("HIT");
    assertThat(alice2.body()).contains("alice").doesNotContain("bob");
  }

  @Test
  void staleEntriesAreRevalidatedWithTheUpstreamsEtag() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock, CacheRule.of("/api/versioned", Duration.ofSeconds(30)));
    HttpResponse<String> first = Http.get(url(p, "/api/versioned"));
    assertThat(cacheHeader(first)).isEqualTo("MISS");
    assertThat(first.headers().firstValue("ETag")).hasValue("\"v1\"");
    clock.advance(Duration.ofSeconds(2)); // the upstream said max-age=1
    HttpResponse<String> second = Http.get(url(p, "/api/versioned"));
    assertThat(cacheHeader(second)).isEqualTo("REVALIDATED");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(cacheHeader(Http.get(url(p, "/api/versioned")))).isEqualTo("HIT");
  }

  @Test
  void staleWhileRevalidateServesAtOnceAndRefreshesInTheBackground() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock,
        CacheRule.of("/api/counter", Duration.ofSeconds(1)).withStale(Duration.ofSeconds(60), Duration.ofMinutes(5)));
    long before = hits("/api/counter");
    HttpResponse<String> first = Http.get(url(p, "/api/counter"));
    clock.advance(Duration.ofSeconds(5));
    HttpResponse<String> stale = Http.get(url(p, "/api/counter"));
    assertThat(cacheHeader(stale)).isEqualTo("STALE");
    assertThat(stale.body()).isEqualTo(first.body());
    await().atMost(Duration.ofSeconds(5)).until(() -> hits("/api/counter") - before == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      HttpResponse<String> r = Http.get(url(p, "/api/counter"));
      return cacheHeader(r).equals("HIT") && !r.body().equals(first.body());
    });
  }

  @Test
  void staleIfErrorServesTheLastCopyWhenTheUpstreamIsDown() throws Exception {
    MutableClock clock = new MutableClock();
    try (TestApps.App own = TestApps.flask()) {
      AppProxy p = proxy(own.url(), clock,
          CacheRule.of("/api/projects/*", Duration.ofSeconds(1)).withStale(Duration.ZERO, Duration.ofMinutes(5)));
      HttpResponse<String> first = Http.get(url(p, "/api/projects/9"));
      assertThat(first.statusCode()).isEqualTo(200);
      own.close();
      clock.advance(Duration.ofSeconds(30));
      HttpResponse<String> stale = Http.get(url(p, "/api/projects/9"));
      assertThat(stale.statusCode()).isEqualTo(200);
      assertThat(cacheHeader(stale)).isEqualTo("STALE-IF-ERROR");
      assertThat(stale.headers().firstValue("Warning").orElse("")).contains("111");
      assertThat(stale.body()).isEqualTo(first.body());
      clock.advance(Duration.ofMinutes(10));
      HttpResponse<String> gone = Http.get(url(p, "/api/projects/9"));
      assertThat(gone.statusCode()).isEqualTo(502);
      assertThat(p.summary().staleServed()).isEqualTo(1);
    }
  }

  @Test
  void purgeByPrefixTagAndRoute() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock, CacheRule.of("/api/projects/**", Duration.ofSeconds(60), "projects"),
        CacheRule.of("/api/counter", Duration.ofSeconds(60)));
    Http.get(url(p, "/api/projects/1"));
    Http.get(url(p, "/api/projects/2"));
    Http.get(url(p, "/api/projects/3/tasks/x"));
    Http.get(url(p, "/api/counter"));
    assertThat(p.purge("prefix", "/api/projects/1").removed()).isEqualTo(1);
    assertThat(cacheHeader(Http.get(url(p, "/api/projects/1")))).isEqualTo("MISS");
    assertThat(p.purge("route", "/api/projects/{id}").removed()).isEqualTo(2);
    assertThat(cacheHeader(Http.get(url(p, "/api/projects/3/tasks/x")))).isEqualTo("HIT");
    assertThat(p.purge("tag", "projects").removed()).isGreaterThanOrEqualTo(1);
    assertThat(cacheHeader(Http.get(url(p, "/api/projects/3/tasks/x")))).isEqualTo("MISS");
    assertThat(cacheHeader(Http.get(url(p, "/api/counter")))).isEqualTo("HIT");
    assertThat(p.purge("all", null).removed()).isGreaterThanOrEqualTo(1);
    assertThat(cacheHeader(Http.get(url(p, "/api/counter")))).isEqualTo("MISS");
    assertThatThrownBy(() -> p.purge("host", "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix, tag, route");
    assertThatThrownBy(() -> p.purge("prefix", "api")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/'");
  }

  @Test
  void bodiesOverTheLargestObjectAreStreamedNotCached() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock, CacheRule.of("/api/big", Duration.ofSeconds(60)));
    long before = hits("/api/big");
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> r = Http.getBytes(url(p, "/api/big"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).hasSize(3 * 1024 * 1024);
      assertThat(cacheHeader(r)).isEqualTo("none");
    }
    // each request: one aborted fill plus one streamed pass
    assertThat(hits("/api/big") - before).isEqualTo(4);
  }

  @Test
  void twoProxiesShareHitsAndPurgesThroughRedis() throws Exception {
    String prefix = "vt-proxy-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    MutableClock clock = new MutableClock();
    CacheManager a = redisNode(prefix, "a", clock);
    CacheManager b = redisNode(prefix, "b", clock);
    CacheRule rule = CacheRule.of("/api/projects/*", Duration.ofSeconds(60), "projects");
    AppProxy pa = proxy(flask.url(), clock, a, rule);
    AppProxy pb = proxy(flask.url(), clock, b, rule);
    long before = hits("/api/projects/77");
    // behind one load balancer both instances see the site's own Host
    String get = "GET /api/projects/77 HTTP/1.1\r\nHost: erp.example\r\nConnection: close\r\n\r\n";
    assertThat(Http.raw(pa.port(), get)).contains("X-Vigil-Cache: MISS");
    assertThat(Http.raw(pb.port(), get)).contains("X-Vigil-Cache: HIT");
    assertThat(hits("/api/projects/77") - before).isEqualTo(1);
    assertThat(pb.purge("tag", "projects").removed()).isGreaterThanOrEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> Http.raw(pa.port(), get).contains("X-Vigil-Cache: MISS"));
    a.invalidatePrefix("proxy:");
  }

  private CacheManager redisNode(String prefix, String id, MutableClock clock) {
    CacheManager c = CacheManager.builder()
        .redis(RedisOptions.of("redis://127.0.0.1:6379/11").withProbeInterval(Duration.ofMillis(100)))
        .mode(CacheMode.TWO_LEVEL).keyPrefix(prefix).nodeId(id + "-" + prefix).clock(clock).build();
    opened.add(c);
    await().atMost(Duration.ofSeconds(10)).until(() -> !c.degraded() && c.stats().redis().l1Trusted());
    return c;
  }

  @Test
  void headRequestsOnAColdKeyFillWithGet() throws Exception {
    MutableClock clock = new MutableClock();
    AppProxy p = proxy(flask.url(), clock, CacheRule.of("/api/projects/*", Duration.ofSeconds(30)));
    HttpResponse<String> head = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(url(p, "/api/projects/31")))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    HttpResponse<String> get = Http.get(url(p, "/api/projects/31"));
    assertThat(cacheHeader(get)).isEqualTo("HIT");
    assertThat(get.body()).contains("Project 31");
  }

  @Test
  void anAnswerForOneHostIsNeverServedForAnother() throws Exception {
    // the upstream sees the client's Host (and X-Forwarded-Host) and may build links or redirects from
    // it: a request naming another host must not get that answer from the cache (cache poisoning)
    AppProxy p = proxy(flask.url(), new MutableClock(), CacheRule.of("/api/echo", Duration.ofSeconds(30)));
    String forA = rawGet(p, "a.example");
    assertThat(forA).contains("X-Vigil-Cache: MISS").contains("a.example");
    String forB = rawGet(p, "attacker.example");
    assertThat(forB).contains("X-Vigil-Cache: MISS").contains("attacker.example");
    String againA = rawGet(p, "a.example");
    assertThat(againA).contains("X-Vigil-Cache: HIT").contains("a.example").doesNotContain("attacker.example");
  }

  private static String rawGet(AppProxy p, String host) throws Exception {
    return Http.raw(p.port(), "GET /api/echo HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }
}
