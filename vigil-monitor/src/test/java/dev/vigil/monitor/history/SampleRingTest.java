package dev.vigil.monitor.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.monitor.host.HostMetrics;
import dev.vigil.monitor.testing.SteerableMetricSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SampleRingTest {
  private final SteerableMetricSource source = new SteerableMetricSource();
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  private HostMetrics at(long seconds) {
    return source.read(t0.plusSeconds(seconds));
  }

  @Test
  void keepsOnlyTheSpanBehindTheNewestReading() {
    SampleRing ring = new SampleRing(Duration.ofMinutes(1), 1000);
    for (int s = 0; s <= 120; s += 10) {
      ring.add(at(s));
    }
    assertThat(ring.oldest().orElseThrow().timestamp()).isEqualTo(t0.plusSeconds(60));
    assertThat(ring.latest().orElseThrow().timestamp()).isEqualTo(t0.plusSeconds(120));
    assertThat(ring.size()).isEqualTo(7);
  }

  @Test
  void neverHoldsMoreThanItsCap() {
    SampleRing ring = new SampleRing(Duration.ofHours(1), 5);
    for (int s = 0; s < 20; s++) {
      ring.add(at(s));
    }
    assertThat(ring.size()).isEqualTo(5);
    assertThat(ring.last(3)).extracting(HostMetrics::timestamp)
        .containsExactly(t0.plusSeconds(17), t0.plusSeconds(18), t0.plusSeconds(19));
    assertThat(ring.last(50)).hasSize(5);
    assertThat(ring.between(t0.plusSeconds(16), t0.plusSeconds(18))).hasSize(2);
  }

  @Test
  void refusesANonsenseSize() {
    assertThatThrownBy(() -> new SampleRing(Duration.ZERO, 5)).hasMessageContaining("span");
    assertThatThrownBy(() -> new SampleRing(Duration.ofMinutes(1), 0)).hasMessageContaining("at least one");
  }
}
