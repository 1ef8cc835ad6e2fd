package dev.vigil.monitor.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CounterWindowTest {
  private static final long MS = 1_000_000;

  @Test
  void theBaselineIsTheNewestReadingAtLeastTheWindowOld() {
    CounterWindow<String> w = new CounterWindow<>(Duration.ofMillis(500));
    assertThat(w.nanosUntilBaseline(0)).isZero();
    w.offer(0, "a");
    assertThat(w.nanosUntilBaseline(200 * MS)).isEqualTo(300 * MS);
    w.offer(200 * MS, "b");
    w.offer(600 * MS, "c");
    assertThat(w.baseline(650 * MS).orElseThrow().value()).isEqualTo("a");
    assertThat(w.baseline(750 * MS).orElseThrow().value()).isEqualTo("b");
    assertThat(w.baseline(1200 * MS).orElseThrow().value()).isEqualTo("c");
  }

  @Test
  void aTightLoopKeepsFewReadings() {
    CounterWindow<Long> w = new CounterWindow<>(Duration.ofMillis(500));
    for (long t = 0; t < 10_000; t++) {
      w.offer(t * MS, t);
    }
    assertThat(w.size()).isLessThanOrEqualTo(6);
    assertThat(9_999 * MS - w.baseline(9_999 * MS).orElseThrow().nanos()).isBetween(500 * MS, 750 * MS);
  }

  @Test
  void refusesAnEmptyWindow() {
    assertThatThrownBy(() -> new CounterWindow<>(Duration.ZERO)).hasMessageContaining("positive");
  }
}
