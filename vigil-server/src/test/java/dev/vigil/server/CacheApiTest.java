package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.cache.CacheManager;
import dev.vigil.cache.CacheMode;
import dev.vigil.cache.redis.RedisEndpoint;
import dev.vigil.cache.redis.RedisOptions;
import dev.vigil.core.testing.LocalServices;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code /api/cache/*} over a real server: in memory, with the shared Redis (own db and key prefix), and with Redis down. */
class CacheApiTest {
  private static final int REDIS_DB = 11;

  @TempDir
  Path dir;
  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
  private final Logger auditLogger = (Logger) LoggerFactory.getLogger("vigil.audit");

  @BeforeEach
  void captureAudit() {
    audit.start();
    auditLogger.addAppender(audit);
  }

  @AfterEach
  void releaseAudit() {
    auditLogger.detachAppender(audit);
  }

  private static HttpResponse<String> send(TestServer s, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return s.send(b.build());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  private long audited(String action) {
    return audit.list.stream().filter(e -> e.getFormattedMessage().startsWith(action + " ")).count();
  }

  @Test
  void inMemoryStatsKeysDeleteAndClearWithTheServersOwnOpenApiEntry() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      String viewer = s.token(Role.VIEWER);
      String operator = s.token(Role.OPERATOR);
      JsonNode fresh = json(s.get("/api/cache/stats", viewer));
      assertThat(fresh.get("cache_type").asText()).isEqualTo("in_memory");
      List<String> fields = new ArrayList<>();
      fresh.fieldNames().forEachRemaining(fields::add);
      assertThat(fields).startsWith("cache_type", "total_keys", "hits", "misses", "total_requests", "hit_rate")
          .contains("levels", "namespaces", "loads", "evictions");

      String first = s.get("/api/openapi.json", viewer).body();
      String second = s.get("/api/openapi.json", viewer).body();
      assertThat(second).as("the cached OpenAPI document is the built one").isEqualTo(first);
      JsonNode stats = json(s.get("/api/cache/stats", viewer));
      assertThat(stats.at("/namespaces/system/hits").asLong()).isEqualTo(1);
      assertThat(stats.at("/loads/count").asLong()).isEqualTo(1);
      assertThat(stats.get("total_keys").asLong()).isEqualTo(1);
      assertThat(stats.get("hit_rate").asDouble()).isEqualTo(50.0);

      assertThat(s.get("/api/cache/keys", viewer).statusCode()).as("listing key names is for operators").isEqualTo(403);
      JsonNode keys = json(s.get("/api/cache/keys?prefix=system:", operator));
      assertThat(keys.get("keys")).hasSize(1);
      assertThat(keys.get("next_cursor").isNull()).isTrue();
      String key = keys.get("keys").get(0).asText();
      assertThat(key).startsWith("system:openapi:");
      assertThat(json(s.get("/api/cache/keys?prefix=nothing:", operator)).get("keys")).isEmpty();

      String path = "/api/cache/keys/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
      assertThat(send(s, "DELETE", path, viewer, null).statusCode()).isEqualTo(403);
      HttpResponse<String> deleted = send(s, "DELETE", path, operator, null);
      assertThat(deleted.statusCode()).isEqualTo(200);
      assertThat(json(deleted).get("success").asBoolean()).isTrue();
      HttpResponse<String> again = send(s, "DELETE", path, operator, null);
      assertThat(again.statusCode()).isEqualTo(404);
      assertThat(again.body()).contains("not_found").contains(key);
      assertThat(audited("cache.delete")).isEqualTo(2);

      s.get("/api/openapi.json", viewer);
      assertThat(json(s.get("/api/cache/stats", viewer)).get("total_keys").asLong()).isEqualTo(1);
      assertThat(send(s, "POST", "/api/cache/clear", viewer, "{}").statusCode()).isEqualTo(403);
      HttpResponse<String> cleared = send(s, "POST", "/api/cache/clear", operator, null);
      assertThat(cleared.statusCode()).isEqualTo(200);
      assertThat(json(cleared).get("success").asBoolean()).isTrue();
      assertThat(json(cleared).get("message").asText()).isEqualTo("Cache cleared successfully");
      assertThat(json(s.get("/api/cache/stats", viewer)).get("total_keys").asLong()).isZero();
      s.get("/api/openapi.json", viewer);
      HttpResponse<String> byPrefix = send(s, "POST", "/api/cache/clear", operator, "{\"prefix\":\"system:\"}");
      assertThat(json(byPrefix).get("removed").asLong()).isEqualTo(1);
      assertThat(json(send(s, "POST", "/api/cache/clear", operator, "{}")).get("success").asBoolean()).isTrue();
      assertThat(audited("cache.clear")).isEqualTo(3);

      assertThat(s.get("/metrics", viewer).body()).contains("vigil_cache_gets_total").contains("cache=\"vigil\"");
    }
  }

  @Test
  void badParametersAndBodiesAreRefusedNamingTheProblem() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      String operator = s.token(Role.OPERATOR);
      for (String query : List.of("limit=0", "limit=1001", "limit=x", "cursor=abc", "cursor=-1",
          "prefix=%01bad")) {
        HttpResponse<String> r = s.get("/api/cache/keys?" + query, operator);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        assertThat(r.body()).as(query).contains(query.substring(0, query.indexOf('=')));
      }
      Map<String, String> bodies = Map.of(
          "{\"prefix\":\"a\",\"tag\":\"b\"}", "not both",
          "{\"prefix\":\"\"}", "prefix",
          "{\"tag\":\"\"}", "tag",
          "{\"prefix\":null}", "prefix",
          "{\"tag\":7}", "tag",
          "{\"what\":1}", "what",
          "{\"prefix\": ", "malformed_json",
          "[1]", "invalid_body");
      for (Map.Entry<String, String> e : bodies.entrySet()) {
        HttpResponse<String> r = send(s, "POST", "/api/cache/clear", operator, e.getKey());
        assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
        assertThat(r.body()).as(e.getKey()).contains(e.getValue());
      }
      HttpResponse<String> reserved = send(s, "DELETE", "/api/cache/keys/__vigil__:x", operator, null);
      assertThat(reserved.statusCode()).isEqualTo(400);
      assertThat(reserved.body()).contains("key");
      assertThat(audited("cache.clear")).isZero();
    }
  }

  @Test
  void withRedisTheApiSeesEveryNodesKeysAndClearsByPrefixAndTag() throws Exception {
    LocalServices.requireRedis();
    String prefix = "vt-srv-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    try (TestServer s = TestServer.start(dir, Map.of("USE_REDIS_CACHE", "true", "REDIS_HOST", "127.0.0.1",
        "REDIS_PORT", Integer.toString(LocalServices.REDIS_PORT), "REDIS_DB", Integer.toString(REDIS_DB),
        "VIGIL_CACHE_KEY_PREFIX", prefix));
        CacheManager other = CacheManager.builder().keyPrefix(prefix).mode(CacheMode.REDIS)
            .redis(RedisOptions.of(RedisEndpoint.standalone("127.0.0.1", LocalServices.REDIS_PORT, REDIS_DB, null)))
            .build()) {
      String viewer = s.token(Role.VIEWER);
      String operator = s.token(Role.OPERATOR);
      assertThat(other.cacheType()).as("the second node reads Redis directly, so its checks see Redis itself")
          .isEqualTo("redis");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> json(s.get("/api/cache/stats", viewer)).get("cache_type").asText().equals("two_level"));
      for (int i = 0; i < 25; i++) {
        other.set("user:" + i, Map.of("id", i), Duration.ofMinutes(5), Set.of(i % 2 == 0 ? "even" : "odd"));
      }
      other.set("price:BTC", 100);

      List<String> listed = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        JsonNode page = json(s.get("/api/cache/keys?prefix=user:&limit=10" + (cursor == null ? "" : "&cursor="
            + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), operator));
        page.get("keys").forEach(k -> listed.add(k.asText()));
        cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        pages++;
      } while (cursor != null && pages < 100);
      assertThat(Set.copyOf(listed)).hasSize(25).allMatch(k -> k.startsWith("user:"));

      JsonNode byTag = json(send(s, "POST", "/api/cache/clear", operator, "{\"tag\":\"even\"}"));
      assertThat(byTag.get("removed").asLong()).isEqualTo(13);
      assertThat(other.exists("user:0")).isFalse();
      assertThat(other.exists("user:1")).isTrue();
      JsonNode byPrefix = json(send(s, "POST", "/api/cache/clear", operator, "{\"prefix\":\"user:\"}"));
      assertThat(byPrefix.get("removed").asLong()).isEqualTo(12);
      assertThat(other.exists("user:1")).isFalse();

      assertThat(send(s, "DELETE", "/api/cache/keys/price:BTC", operator, null).statusCode()).isEqualTo(200);
      assertThat(other.exists("price:BTC")).isFalse();
      assertThat(send(s, "DELETE", "/api/cache/keys/price:BTC", operator, null).statusCode()).isEqualTo(404);

      other.set("left", 1);
      assertThat(send(s, "POST", "/api/cache/clear", operator, "").statusCode()).isEqualTo(200);
      assertThat(other.exists("left")).isFalse();
      JsonNode stats = json(s.get("/api/cache/stats", viewer));
      assertThat(stats.get("total_keys").asLong()).isZero();
      assertThat(stats.at("/redis/state").asText()).isEqualTo("up");
      assertThat(audited("cache.clear")).isEqualTo(3);
      assertThat(audited("cache.delete")).isEqualTo(2);
    }
  }

  @Test
  void redisDownAtStartDegradesToMemoryAndTheServerStillAnswers() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (TestServer s = TestServer.start(dir, Map.of("USE_REDIS_CACHE", "true", "REDIS_HOST", "127.0.0.1",
        "REDIS_PORT", Integer.toString(closedPort)))) {
      String viewer = s.token(Role.VIEWER);
      assertThat(s.get("/api/openapi.json", viewer).statusCode()).isEqualTo(200);
      assertThat(s.get("/api/openapi.json", viewer).statusCode()).isEqualTo(200);
      JsonNode stats = json(s.get("/api/cache/stats", viewer));
      assertThat(stats.get("cache_type").asText()).isEqualTo("in_memory");
      assertThat(stats.get("degraded").asBoolean()).isTrue();
      assertThat(stats.at("/redis/state").asText()).isEqualTo("down");
      assertThat(stats.get("hits").asLong()).isEqualTo(1);
      HttpResponse<String> cleared = send(s, "POST", "/api/cache/clear", s.token(Role.OPERATOR), "{}");
      assertThat(cleared.statusCode()).isEqualTo(200);
    }
  }
}
