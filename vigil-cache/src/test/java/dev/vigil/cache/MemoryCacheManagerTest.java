package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.cache.stats.CacheStats;
import dev.vigil.cache.testing.MutableClock;
import dev.vigil.cache.ttl.TtlProfile;
import dev.vigil.cache.ttl.TtlProfiles;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MemoryCacheManagerTest {
  record User(String name, String role) {
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

  private CacheManager cache() {
    return CacheManager.builder().clock(clock).maxEntries(1000).build();
  }

  @Test
  void setGetDeleteExistsClearLikeTheSeed() {
    try (CacheManager cache = cache()) {
      cache.set("user:123", new User("Ahmed", "Admin"), Duration.ofSeconds(300));
      assertThat(cache.get("user:123", User.class)).contains(new User("Ahmed", "Admin"));
      assertThat(cache.exists("user:123")).isTrue();
      assertThat(cache.delete("user:123")).isTrue();
      assertThat(cache.delete("user:123")).isFalse();
      assertThat(cache.exists("user:123")).isFalse();
      assertThat(cache.get("user:123", User.class)).isEmpty();
      cache.set("a", 1);
      cache.set("b", 2);
      cache.clear();
      assertThat(cache.exists("a") || cache.exists("b")).isFalse();
      assertThat(cache.cacheType()).isEqualTo("in_memory");
    }
  }

  @Test
  void entriesExpireAfterTheirOwnTtl() {
    try (CacheManager cache = cache()) {
      cache.set("short", "s", Duration.ofSeconds(10));
      cache.set("long", "l", Duration.ofSeconds(100));
      clock.advance(Duration.ofSeconds(11));
      assertThat(cache.get("short", String.class)).isEmpty();
      assertThat(cache.get("long", String.class)).contains("l");
      clock.advance(Duration.ofSeconds(90));
      assertThat(cache.get("long", String.class)).isEmpty();
    }
  }

  @Test
  void inProcessLevelIsBounded() {
    try (CacheManager cache = CacheManager.builder().clock(clock).maxEntries(100).build()) {
      for (int i = 0; i < 1000; i++) {
        cache.set("k" + i, i);
      }
      assertThat(cache.localSize()).isLessThanOrEqualTo(100);
      assertThat(cache.stats().evictions()).isGreaterThanOrEqualTo(900);
    }
  }

  @Test
  void valuesAreConvertedWhenReadAsAnotherType() {
    try (CacheManager cache = cache()) {
      cache.set("u", Map.of("name", "Sara", "role", "Viewer"));
      assertThat(cache.get("u", User.class)).contains(new User("Sara", "Viewer"));
      cache.set("n", 42);
      assertThat(cache.get("n", long.class)).contains(42L);
      assertThatThrownBy(() -> cache.get("u", Integer.class))
          .isInstanceOf(CacheException.class).hasMessageContaining("'u'");
    }
  }

  @Test
  void inProcessHitsAnswerEveryReadOverloadAndCountPerNamespace() {
    try (CacheManager cache = cache()) {
      cache.set("h:1", 5);
      assertThat(cache.get("h:1")).contains(5);
      assertThat(cache.get("h:1", Number.class)).contains(5);
      assertThat(cache.get("h:1", (Type) Integer.class)).contains(5);
      assertThat(cache.get("h:1", long.class)).contains(5L);
      assertThat(cache.get("h:2", Integer.class)).isEmpty();
      CacheStats s = cache.stats();
      assertThat(s.namespaces().get("h").hits()).isEqualTo(4);
      assertThat(s.namespaces().get("h").misses()).isEqualTo(1);
      assertThat(s.levels().get("l1").hits()).isEqualTo(4);
      assertThat(s.levels().get("l1").misses()).isEqualTo(1);
    }
  }

  @Test
  void loaderRunsOnMissOnlyAndNullIsNotCached() {
    try (CacheManager cache = cache()) {
      List<String> calls = new ArrayList<>();
      assertThat(cache.get("p:1", String.class, Duration.ofMinutes(1), k -> {
        calls.add(k);
        return "v1";
      })).isEqualTo("v1");
      assertThat(cache.get("p:1", String.class, Duration.ofMinutes(1), k -> "other")).isEqualTo("v1");
      assertThat(calls).containsExactly("p:1");
      assertThat(cache.get("p:2", String.class, Duration.ofMinutes(1), k -> null)).isNull();
      assertThat(cache.exists("p:2")).isFalse();
      assertThatThrownBy(() -> cache.get("p:3", String.class, Duration.ofMinutes(1), k -> {
        throw new IllegalStateException("db down");
      })).isInstanceOf(CacheLoadException.class).hasMessageContaining("'p:3'").hasMessageContaining("db down");
      assertThat(cache.stats().loads().failures()).isEqualTo(1);
    }
  }

  @Test
  void badInputIsRefusedWithAClearMessage() {
    try (CacheManager cache = cache()) {
      assertThatThrownBy(() -> cache.set("", 1)).hasMessageContaining("empty");
      assertThatThrownBy(() -> cache.set(null, 1)).hasMessageContaining("null");
      assertThatThrownBy(() -> cache.set("k", null)).hasMessageContaining("'k'").hasMessageContaining("delete");
      assertThatThrownBy(() -> cache.set("k", 1, Duration.ZERO)).hasMessageContaining("TTL must be positive");
      assertThatThrownBy(() -> cache.set("k", 1, Duration.ofSeconds(-1))).hasMessageContaining("TTL");
      assertThatThrownBy(() -> cache.set("__vigil__:x", 1)).hasMessageContaining("reserved");
      assertThatThrownBy(() -> cache.set("k".repeat(1025), 1)).hasMessageContaining("longer than 1024");
      assertThatThrownBy(() -> cache.set("k", 1, "no_such_category")).hasMessageContaining("no_such_category")
          .hasMessageContaining("market_prices");
      assertThatThrownBy(() -> cache.keys("", "0", 0)).hasMessageContaining("limit");
    }
  }

  @Test
  void prefixTagAndNamespaceInvalidation() {
    try (CacheManager cache = cache()) {
      for (int i = 0; i < 10; i++) {
        cache.set("boq:" + i, i, Duration.ofMinutes(5), Set.of(i % 2 == 0 ? "even" : "odd"));
        cache.set("gantt:" + i, i);
      }
      assertThat(cache.invalidateTag("even")).isEqualTo(5);
      assertThat(cache.exists("boq:0")).isFalse();
      assertThat(cache.exists("boq:1")).isTrue();
      assertThat(cache.invalidatePrefix("boq:")).isEqualTo(5);
      assertThat(cache.exists("gantt:3")).isTrue();
      CacheNamespace gantt = cache.namespace("gantt");
      assertThat(gantt.get("3", Integer.class)).contains(3);
      assertThat(gantt.clear()).isEqualTo(10);
      assertThat(cache.localSize()).isZero();
      assertThatThrownBy(() -> cache.namespace("a:b")).hasMessageContaining("':'");
    }
  }

  @Test
  void keyListingPagesThroughAllKeysWithACursor() {
    try (CacheManager cache = cache()) {
      for (int i = 0; i < 25; i++) {
        cache.set("list:" + i, i);
      }
      cache.set("other", 1);
      Set<String> seen = new TreeSet<>();
      String cursor = "0";
      int pages = 0;
      do {
        KeyPage page = cache.keys("list:", cursor, 10);
        assertThat(page.keys()).hasSizeLessThanOrEqualTo(10);
        seen.addAll(page.keys());
        cursor = page.cursor();
        pages++;
      } while (!"0".equals(cursor));
      assertThat(seen).hasSize(25).allMatch(k -> k.startsWith("list:"));
      assertThat(pages).isEqualTo(3);
    }
  }

  @Test
  void statsHaveTheSeedShapeAndSerializeToSnakeCaseKeys() throws Exception {
    try (CacheManager cache = cache()) {
      cache.set("user:1", "a");
      for (int i = 0; i < 3; i++) {
        cache.get("user:1", String.class);
      }
      cache.get("user:2", String.class);
      cache.get("plain", String.class);
      CacheStats s = cache.stats();
      assertThat(s.cacheType()).isEqualTo("in_memory");
      assertThat(s.hits()).isEqualTo(3);
      assertThat(s.misses()).isEqualTo(2);
      assertThat(s.totalRequests()).isEqualTo(5);
      assertThat(s.hitRate()).isEqualTo(60.0);
      assertThat(s.totalKeys()).isEqualTo(1);
      assertThat(s.namespaces().get("user").hits()).isEqualTo(3);
      assertThat(s.namespaces().get("default").misses()).isEqualTo(1);

      JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(s));
      List<String> keys = new ArrayList<>();
      json.fieldNames().forEachRemaining(keys::add);
      assertThat(keys).containsExactly("cache_type", "total_keys", "hits", "misses", "total_requests", "hit_rate",
          "degraded", "levels", "namespaces", "loads", "evictions", "redis");
      assertThat(json.get("cache_type").asText()).isEqualTo("in_memory");
      assertThat(json.get("hit_rate").isNumber()).isTrue();
      assertThat(json.get("hit_rate").asText()).isEqualTo("60.0");
      assertThat(allFieldNames(json)).allMatch(k -> k.matches("[a-z0-9_]+"), "snake_case");
      assertThat(json.at("/levels/l1/hit_rate").asDouble()).isEqualTo(60.0);
      assertThat(json.at("/loads/average_time_ms").isNumber()).isTrue();
      assertThat(json.at("/redis/state").asText()).isEqualTo("not_configured");
    }
  }

  @Test
  void hitRateHasTwoDecimals() {
    assertThat(dev.vigil.cache.stats.HitRate.percent(8542, 1234)).isEqualTo(87.38);
    assertThat(dev.vigil.cache.stats.HitRate.percent(0, 0)).isEqualTo(0.0);
    assertThat(dev.vigil.cache.stats.HitRate.percent(1, 2)).isEqualTo(33.33);
  }

  @Test
  void ttlProfilesJitterAroundTheirBase() {
    TtlProfiles profiles = TtlProfiles.defaults();
    Map<Long, Integer> distinct = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      Duration ttl = profiles.ttl("market_prices");
      assertThat(ttl).isBetween(Duration.ofSeconds(54), Duration.ofSeconds(66));
      distinct.merge(ttl.toMillis(), 1, Integer::sum);
    }
    assertThat(distinct.size()).isGreaterThan(50);
    assertThat(profiles.profile("static_data").ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(profiles.ttlOrDefault("unknown")).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
    assertThat(new TtlProfile("x", Duration.ofSeconds(100), 0.2).draw(0.0)).isEqualTo(Duration.ofSeconds(80));
    assertThatThrownBy(() -> new TtlProfile("x", Duration.ofSeconds(1), 0.9)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> TtlProfiles.of(new TtlProfile("x", Duration.ofSeconds(1), 0)))
        .hasMessageContaining("default");
    try (CacheManager cache = cache()) {
      cache.set("price:BTCUSDT", 97000.5, "market_prices");
      clock.advance(Duration.ofSeconds(53));
      assertThat(cache.get("price:BTCUSDT", Double.class)).contains(97000.5);
      clock.advance(Duration.ofSeconds(14));
      assertThat(cache.get("price:BTCUSDT", Double.class)).isEmpty();
    }
  }

  private static List<String> allFieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!node.equals(node.get("namespaces")) ) {
        names.add(e.getKey());
      }
      if (e.getValue().isObject() && !e.getKey().equals("namespaces")) {
        names.addAll(allFieldNames(e.getValue()));
      }
    }
    return names;
  }
}
