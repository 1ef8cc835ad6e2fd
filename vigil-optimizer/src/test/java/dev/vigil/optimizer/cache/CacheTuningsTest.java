package dev.vigil.optimizer.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.observe.LoadEvent;
import dev.vigil.cache.redis.RedisOptions;
import dev.vigil.cache.stampede.EarlyRefresh;
import dev.vigil.core.testing.LocalServices;
import dev.vigil.core.testing.MutableClock;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The cache family over a real cache: keys reloaded after every expiry are warmed ahead of it (over
 * Redis), TTLs follow whether reloads bring back the same value, and the in-process level grows to what
 * its shadow entries show it needs; each change is measured by its probe and undone for real.
 */
class CacheTuningsTest {
  private static final Duration TTL = Duration.ofSeconds(2);

  @Test
  void keysReloadedAfterEveryExpiryAreWarmedAheadOfItOverRedisAndUndoStopsIt() throws Exception {
    LocalServices.requireRedis();
    AtomicInteger loaderCalls = new AtomicInteger();
    try (CacheManager cache = CacheManager.builder().redis(RedisOptions.of("redis://127.0.0.1:6379/13"))
        .keyPrefix("optcache-warm-" + System.nanoTime() + ":").earlyRefresh(EarlyRefresh.OFF).build()) {
      cache.clear();
      Instant start = Instant.now();
      for (int i = 0; i < 4; i++) {
        read(cache, loaderCalls);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> !cache.exists("price:eur"));
      }
      read(cache, loaderCalls);
      WarmingTuning tuning = new WarmingTuning(cache, 3, 0.5);
      List<Proposal> proposals = tuning.propose();
      assertThat(proposals).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("cache:warm:price");
        assertThat(p.level()).isEqualTo(Level.MEDIUM);
        assertThat(p.reason()).contains("reloaded right after expiry 4 times out of 5 loads");
      });
      Proposal p = proposals.get(0);
      Instant applied = Instant.now();
      Map<String, String> undo = tuning.apply(p);
      assertThat(cache.warmedKeys()).containsExactly("price:eur");
      assertThat(tuning.propose()).isEmpty();
      // readers keep reading for three TTLs: the value is reloaded ahead of each expiry, nobody waits
      Instant until = applied.plus(TTL.multipliedBy(3));
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        read(cache, loaderCalls);
        return Instant.now().isAfter(until);
      });
      List<LoadEvent> after = cache.loadEvents("price:eur"::equals, applied, Instant.now());
      assertThat(after).hasSizeGreaterThanOrEqualTo(2).allMatch(LoadEvent::background);
      Probe probe = tuning.probe(p);
      assertThat(probe.lowerIsBetter()).isTrue();
      assertThat(Arrays.stream(probe.samples(start, applied)).boxed().toList()).hasSize(5).allMatch(v -> v >= 1);
      assertThat(Arrays.stream(probe.samples(applied, Instant.now())).boxed().toList()).isNotEmpty()
          .allMatch(v -> v == 0);

      tuning.undo(p, undo);
      assertThat(cache.warmedKeys()).isEmpty();
      Instant undone = Instant.now();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> !cache.exists("price:eur"));
      read(cache, loaderCalls);
      assertThat(cache.loadEvents("price:eur"::equals, undone, Instant.now().plusMillis(1)))
          .anyMatch(e -> !e.background());
    }
  }

  private static void read(CacheManager cache, AtomicInteger calls) {
    cache.get("price:eur", String.class, TTL, k -> {
      calls.incrementAndGet();
      return "1.08";
    });
  }

  @Test
  void ttlIsLengthenedForUnchangedReloadsShortenedForStaleOnesAndRestoredOnUndo() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    AtomicInteger version = new AtomicInteger();
    try (CacheManager cache = CacheManager.builder().clock(clock).earlyRefresh(EarlyRefresh.OFF).build()) {
      Duration ttl = Duration.ofSeconds(10);
      Instant start = clock.instant();
      for (int cycle = 0; cycle < 6; cycle++) {
        for (int k = 0; k < 3; k++) {
          cache.get("country:" + k, String.class, ttl, key -> "name of " + key);
          cache.get("quote:" + k, String.class, ttl, key -> key + " at " + version.incrementAndGet());
        }
        clock.advance(Duration.ofSeconds(11));
      }
      TtlTuning tuning = new TtlTuning(cache, 10, 0.5);
      List<Proposal> proposals = tuning.propose();
      Proposal longer = proposals.stream().filter(p -> p.kind().equals("lengthen_ttl")).findFirst().orElseThrow();
      Proposal shorter = proposals.stream().filter(p -> p.kind().equals("shorten_ttl")).findFirst().orElseThrow();
      assertThat(longer.key()).isEqualTo("cache:ttl:country:longer");
      assertThat(longer.target()).contains("10 s → 20 s");
      assertThat(longer.reason()).contains("15 of 15 reloads");
      assertThat(shorter.key()).isEqualTo("cache:ttl:quote:shorter");
      assertThat(shorter.target()).contains("10 s → 5 s");
      assertThat(shorter.level()).isEqualTo(Level.MEDIUM);

      Instant applied = clock.instant();
      Map<String, String> undoLonger = tuning.apply(longer);
      Map<String, String> undoShorter = tuning.apply(shorter);
      assertThat(cache.ttlOverride("country")).contains(Duration.ofSeconds(20));
      assertThat(cache.ttlOverride("quote")).contains(Duration.ofSeconds(5));
      for (int cycle = 0; cycle < 8; cycle++) {
        for (int k = 0; k < 3; k++) {
          cache.get("country:" + k, String.class, ttl, key -> "name of " + key);
        }
        clock.advance(Duration.ofSeconds(11));
      }
      for (int cycle = 0; cycle < 8; cycle++) {
        for (int k = 0; k < 3; k++) {
          cache.get("quote:" + k, String.class, ttl, key -> key + " at " + version.incrementAndGet());
        }
        clock.advance(Duration.ofSeconds(6));
      }
      Instant now = clock.instant();
      Probe between = tuning.probe(longer);
      assertThat(between.lowerIsBetter()).isFalse();
      assertThat(median(between.samples(start, applied))).isEqualTo(11.0);
      assertThat(median(between.samples(applied, now))).isEqualTo(22.0);
      Probe stale = tuning.probe(shorter);
      assertThat(stale.lowerIsBetter()).isTrue();
      assertThat(median(stale.samples(start, applied))).isEqualTo(11.0);
      assertThat(median(stale.samples(applied, now))).isEqualTo(6.0);
      assertThat(tuning.guards(longer)).singleElement().satisfies(g -> assertThat(g.samples(applied, now)).isEmpty());

      tuning.undo(longer, undoLonger);
      tuning.undo(shorter, undoShorter);
      assertThat(cache.ttlOverride("country")).isEmpty();
      assertThat(cache.ttlOverride("quote")).isEmpty();
      clock.advance(Duration.ofSeconds(30));
      cache.get("country:0", String.class, ttl, key -> "name of " + key);
      assertThat(cache.loadReports()).filteredOn(k -> k.key().equals("country:0")).singleElement()
          .satisfies(k -> assertThat(k.ttlMillis()).isEqualTo(10_000));
    }
  }

  @Test
  void l1GrowsToWhatItsShadowEntriesShowWithinTheBudgetAndShrinksBackOnUndo() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    try (CacheManager cache = CacheManager.builder().clock(clock).maxEntries(1000).defaultTtl(Duration.ofHours(1))
        .earlyRefresh(EarlyRefresh.OFF).build()) {
      Random random = new Random(7);
      Duration ttl = Duration.ofHours(1);
      Instant start = clock.instant();
      for (int i = 0; i < 40_000; i++) {
        cache.get("item:" + random.nextInt(1200), String.class, ttl, k -> "value of " + k);
        if (i % 1000 == 999) {
          clock.advance(Duration.ofSeconds(1));
        }
        if (i % 100 == 99) {
          cache.stats(); // runs the in-process level's pending evictions now, not when a loaded pool gets to them
        }
      }
      L1SizeTuning tuning = new L1SizeTuning(cache, 5000, () -> 50.0, 90, 0.05, 1000);
      assertThat(new L1SizeTuning(cache, 5000, () -> 95.0, 90, 0.05, 1000).propose()).isEmpty();
      assertThat(new L1SizeTuning(cache, 1000, () -> 50.0, 90, 0.05, 1000).propose()).isEmpty();
      Proposal p = tuning.propose().get(0);
      assertThat(p.level()).isEqualTo(Level.HIGH);
      assertThat(p.key()).startsWith("cache:l1:1000->");
      long target = ((Number) p.details().get("to_entries")).longValue();
      assertThat(target).isBetween(1250L, 2000L);
      assertThat((Double) p.details().get("estimated_hit_rate")).isGreaterThan((Double) p.details().get("hit_rate"));

      Instant applied = clock.instant();
      Map<String, String> undo = tuning.apply(p);
      assertThat(cache.l1Capacity()).isEqualTo(target);
      for (int i = 0; i < 40_000; i++) {
        cache.get("item:" + random.nextInt(1200), String.class, ttl, k -> "value of " + k);
        if (i % 1000 == 999) {
          clock.advance(Duration.ofSeconds(1));
        }
        if (i % 100 == 99) {
          cache.stats();
        }
      }
      Probe hitRate = tuning.probe(p);
      assertThat(hitRate.lowerIsBetter()).isFalse();
      double before = median(hitRate.samples(start, applied));
      double after = median(hitRate.samples(applied.plusSeconds(10), clock.instant()));
      assertThat(after).isGreaterThan(before + 0.05);

      tuning.undo(p, undo);
      assertThat(cache.l1Capacity()).isEqualTo(1000);
      assertThat(cache.localSize()).isLessThanOrEqualTo(1000);
    }
  }

  private static double median(double[] values) {
    assertThat(values).isNotEmpty();
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
