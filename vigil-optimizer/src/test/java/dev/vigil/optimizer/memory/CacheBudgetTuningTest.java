package dev.vigil.optimizer.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.cache.CacheManager;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Under RAM pressure Vigil's own cache is halved (reversibly), never below its floor. */
class CacheBudgetTuningTest {
  private static final Probe HEAP = new Probe() {
    @Override
    public String name() {
      return "JVM heap used (MB)";
    }

    @Override
    public boolean lowerIsBetter() {
      return true;
    }

    @Override
    public double[] samples(Instant from, Instant to) {
      return new double[0];
    }
  };

  @Test
  void shrinksUnderPressureRestoresOnUndoAndStaysQuietOtherwise() {
    try (CacheManager cache = CacheManager.builder().maxEntries(8000).build()) {
      for (int i = 0; i < 8000; i++) {
        cache.set("k" + i, "v" + i);
      }
      AtomicReference<Double> ram = new AtomicReference<>(70.0);
      CacheBudgetTuning tuning = new CacheBudgetTuning(cache, ram::get, 90, 3000, HEAP, List.of());
      assertThat(tuning.propose()).isEmpty();
      ram.set(95.0);
      Proposal p = tuning.propose().get(0);
      assertThat(p.level()).isEqualTo(Level.MEDIUM);
      assertThat(p.target()).contains("8000 → 4000");
      Map<String, String> undo = tuning.apply(p);
      assertThat(cache.l1Capacity()).isEqualTo(4000);
      assertThat(cache.localSize()).isLessThanOrEqualTo(4000);
      assertThat(tuning.propose().get(0).target()).contains("4000 → 3000");
      tuning.undo(p, undo);
      assertThat(cache.l1Capacity()).isEqualTo(8000);
      assertThatThrownBy(() -> cache.resizeL1(0)).hasMessageContaining("at least 1");
    }
  }
}
