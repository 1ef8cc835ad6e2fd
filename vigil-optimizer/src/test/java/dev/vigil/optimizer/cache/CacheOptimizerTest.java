package dev.vigil.optimizer.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cache.CacheManager;
import dev.vigil.cache.stampede.EarlyRefresh;
import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.MutableClock;
import dev.vigil.optimizer.ActionRecord;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.OptimizerHooks;
import dev.vigil.optimizer.OptimizerOptions;
import dev.vigil.optimizer.RunReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine over the cache family: a run at {@code medium} warms the keys reloaded after every expiry,
 * the measurements keep it (readers stopped waiting), a restart puts it back, and a manual rollback stops
 * the warming.
 */
class CacheOptimizerTest {
  @TempDir
  Path dir;

  @Test
  void warmingIsAppliedAtMediumKeptOnItsMeasurementsAndRolledBackByHand() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    Duration ttl = Duration.ofSeconds(60);
    try (CacheManager cache = CacheManager.builder().clock(clock).earlyRefresh(EarlyRefresh.OFF).build();
        StateStore store = StateStore.open(null, dir.resolve("state"))) {
      Optimizer optimizer = optimizer(cache, clock, store);
      for (int cycle = 0; cycle < 9; cycle++) {
        readAll(cache, ttl);
        clock.advance(Duration.ofSeconds(70));
      }
      RunReport low = optimizer.run(Level.LOW, false, false, "test");
      assertThat(low.items()).singleElement().satisfies(i -> assertThat(i.outcome())
          .isEqualTo(RunReport.Outcome.NEEDS_LEVEL));
      RunReport medium = optimizer.run(Level.MEDIUM, false, false, "test");
      assertThat(medium.items()).singleElement().satisfies(i -> assertThat(i.outcome())
          .isEqualTo(RunReport.Outcome.APPLIED));
      String id = medium.items().get(0).actionId();
      assertThat(cache.warmedKeys()).hasSize(3);

      List<ActionRecord> decided = List.of();
      for (int step = 0; step < 12 * 60 / 5 && decided.isEmpty(); step++) {
        clock.advance(Duration.ofSeconds(5));
        cache.warmDue();
        if (step % 14 == 0) {
          readAll(cache, ttl);
        }
        if (step % 12 == 0) {
          decided = optimizer.observe();
        }
      }
      assertThat(decided).singleElement().satisfies(a -> {
        assertThat(a.status()).isEqualTo(ActionRecord.Status.KEPT);
        assertThat(a.before()).isGreaterThanOrEqualTo(1);
        assertThat(a.after()).isZero();
        assertThat(a.confidence()).isGreaterThan(0.99);
      });

      // a restart: a new cache knows nothing of the warming; the optimizer puts it back from its history
      try (CacheManager restarted = CacheManager.builder().clock(clock).earlyRefresh(EarlyRefresh.OFF).build()) {
        Optimizer again = optimizer(restarted, clock, store);
        assertThat(again.recover()).isEmpty();
        assertThat(restarted.warmedKeys()).containsExactlyInAnyOrderElementsOf(cache.warmedKeys());
        again.rollback(id, "admin");
        assertThat(restarted.warmedKeys()).isEmpty();
      }
    }
  }

  private static Optimizer optimizer(CacheManager cache, MutableClock clock, StateStore store) {
    OptimizerOptions options = OptimizerOptions.defaults().withClock(clock)
        .withWindows(Duration.ofMinutes(30), Duration.ofMinutes(30)).withMinSamples(8);
    return new Optimizer(options, List.of(new WarmingTuning(cache, 3, 0.5), new TtlTuning(cache, 1000, 0.5)),
        new OptimizerHooks() {
          @Override
          public void audit(String action, String resource, String outcome, Map<String, Object> facts) {
            // the audit trail is the server's; this test reads the optimizer's own history
          }

          @Override
          public void checkpoint(String label) {
            throw new IllegalStateException("nothing here is aggressive");
          }

          @Override
          public boolean busy() {
            return false;
          }
        }, store);
  }

  private static void readAll(CacheManager cache, Duration ttl) {
    for (int k = 0; k < 3; k++) {
      cache.get("report:" + k, String.class, ttl, key -> "totals of " + key);
    }
  }
}
