package dev.vigil.monitor.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.testing.MutableClock;
import dev.vigil.monitor.testing.SteerableMetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** History from the in-memory ring (no store), and the validation every history query gets. */
class MetricHistoryTest {
  private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
  private final AtomicInteger tick = new AtomicInteger();
  private final SteerableMetricSource source = new SteerableMetricSource().cpu(() -> tick.get() % 10 * 10);

  private SystemMonitor sampled(int readings, Duration every) {
    SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).build();
    for (int i = 0; i < readings; i++) {
      m.sampleNow();
      tick.incrementAndGet();
      clock.advance(every);
    }
    return m;
  }

  @Test
  void rawStepsAggregateTheRingsReadings() {
    Instant t0 = clock.instant();
    try (SystemMonitor m = sampled(60, Duration.ofSeconds(1))) {
      History h = m.history("cpu_percent", t0, clock.instant(), Duration.ofSeconds(10));
      assertThat(h.tier()).isEqualTo(Tier.RAW);
      assertThat(h.stepSeconds()).isEqualTo(10);
      assertThat(h.points()).hasSize(6).allSatisfy(p -> {
        assertThat(p.count()).isEqualTo(10);
        assertThat(p.min()).isEqualTo(0);
        assertThat(p.max()).isEqualTo(90);
        assertThat(p.avg()).isEqualTo(45);
      });
      assertThat(h.points().get(1).time()).isEqualTo(t0.plusSeconds(10));
    }
  }

  @Test
  void withoutAStoreEveryStepIsAnsweredFromTheRing() {
    Instant t0 = clock.instant();
    try (SystemMonitor m = sampled(120, Duration.ofSeconds(1))) {
      History h = m.history("cpu_percent", t0, clock.instant(), Duration.ofMinutes(1));
      assertThat(h.tier()).isEqualTo(Tier.RAW);
      assertThat(h.points()).hasSize(2).allSatisfy(p -> assertThat(p.count()).isEqualTo(60));
    }
  }

  @Test
  void perFileSystemSeriesAreQueryable() {
    Instant t0 = clock.instant();
    source.disk("/data", 77);
    try (SystemMonitor m = sampled(5, Duration.ofSeconds(1))) {
      History h = m.history("disk_percent:/data", t0, clock.instant(), Duration.ofSeconds(5));
      assertThat(h.points()).singleElement().satisfies(p -> assertThat(p.avg()).isEqualTo(77));
    }
  }

  @Test
  void badQueriesNameTheParameter() {
    Instant t0 = clock.instant();
    try (SystemMonitor m = sampled(1, Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> m.history("cpu", t0, t0.plusSeconds(60), Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown metric 'cpu'")
          .hasMessageContaining("cpu_percent");
      assertThatThrownBy(() -> m.history("cpu_percent", t0, t0, Duration.ofSeconds(1))).hasMessageContaining("from");
      assertThatThrownBy(() -> m.history("cpu_percent", t0, t0.plusSeconds(60), Duration.ofMillis(10)))
          .hasMessageContaining("step");
      assertThatThrownBy(() -> m.history("cpu_percent", t0.minus(Duration.ofDays(30)), t0, Duration.ofSeconds(1)))
          .hasMessageContaining("step").hasMessageContaining("10000");
    }
  }
}
