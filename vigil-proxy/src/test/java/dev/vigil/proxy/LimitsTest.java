package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cache.CacheManager;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-client rate limits, trusted proxies and the concurrency limit, in front of a real Flask app. */
class LimitsTest {
  static TestApps.App flask;

  @BeforeAll
  static void start() throws Exception {
    flask = TestApps.flask();
  }

  @AfterAll
  static void stop() {
    flask.close();
  }

  @Test
  void aClientOverItsRateGets429WithRetryAfterButCacheHitsStillServe() throws Exception {
    try (CacheManager cache = CacheManager.builder().build();
        AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).clientRate(1, 3)
            .cacheRule(CacheRule.of("/api/projects/*", Duration.ofMinutes(1))).build(), cache, null, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + p.port();
      assertThat(Http.get(base + "/api/projects/1").statusCode()).isEqualTo(200);
      List<Integer> codes = new ArrayList<>();
      HttpResponse<String> limited = null;
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = Http.get(base + "/api/echo");
        codes.add(r.statusCode());
        if (r.statusCode() == 429) {
          limited = r;
        }
      }
      assertThat(codes).contains(200, 429).doesNotContain(500, 502, 503);
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      assertThat(limited.body()).contains("rate_limited");
      HttpResponse<String> hit = Http.get(base + "/api/projects/1");
      assertThat(hit.statusCode()).isEqualTo(200);
      assertThat(hit.headers().firstValue("X-Vigil-Cache")).hasValue("HIT");
      assertThat(p.summary().rejected()).isPositive();
    }
  }

  @Test
  void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
    List<ProxyRequestRecord> log = new CopyOnWriteArrayList<>();
    try (AppProxy trusting = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0)
            .trustedProxies(List.of("127.0.0.0/8")).clientRate(1, 2).build(), null, null, Clock.systemUTC(), log::add);
        AppProxy plain = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).build(), null, null,
            Clock.systemUTC(), log::add)) {
      HttpResponse<String> r = Http.get("http://127.0.0.1:" + trusting.port() + "/api/echo", "X-Forwarded-For", "203.0.113.9");
      assertThat(r.body()).contains("\"X-Forwarded-For\":\"203.0.113.9, 127.0.0.1\"");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !log.isEmpty());
      assertThat(log.get(0).ipAddress()).isEqualTo("203.0.113.9");
      // each forwarded client has its own bucket
      for (int i = 0; i < 3; i++) {
        Http.get("http://127.0.0.1:" + trusting.port() + "/api/echo", "X-Forwarded-For", "198.51.100.1");
      }
      assertThat(Http.get("http://127.0.0.1:" + trusting.port() + "/api/echo", "X-Forwarded-For", "198.51.100.2")
          .statusCode()).isEqualTo(200);
      Http.get("http://127.0.0.1:" + plain.port() + "/api/projects/1", "X-Forwarded-For", "203.0.113.9");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> log.stream().anyMatch(l -> l.path().equals("/api/projects/1")));
      assertThat(log.stream().filter(l -> l.path().equals("/api/projects/1")).findFirst().orElseThrow().ipAddress())
          .isEqualTo("127.0.0.1");
    }
  }

  @Test
  void overTheConcurrencyLimitRequestsGet503WithRetryAfter() throws Exception {
    try (AppProxy p = AppProxy.start(ProxyConfig.builder(flask.url()).listen("127.0.0.1", 0).concurrency(1, 1, 1).build(),
        null, null, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + p.port();
      CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
        try {
          return Http.get(base + "/api/reports/slow?ms=800");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> p.summary().inFlight() == 1);
      HttpResponse<String> shed = Http.get(base + "/api/echo");
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(shed.body()).contains("overloaded");
      assertThat(slow.join().statusCode()).isEqualTo(200);
    }
  }
}
