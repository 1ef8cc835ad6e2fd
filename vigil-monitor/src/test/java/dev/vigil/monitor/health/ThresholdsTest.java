package dev.vigil.monitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.testing.MutableClock;
import dev.vigil.monitor.testing.SteerableMetricSource;
import org.junit.jupiter.api.Test;

/** Health and thresholds, steered through the test metric source. */
class ThresholdsTest {
  private final SteerableMetricSource source = new SteerableMetricSource();
  private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");

  private SystemMonitor monitor(Thresholds t) {
    return SystemMonitor.builder().thresholds(t).source(source).clock(clock).build();
  }

  @Test
  void defaultsAreTheSpecsThresholds() {
    Thresholds d = Thresholds.defaults();
    assertThat(d.cpu()).isEqualTo(new Limit(80, 95));
    assertThat(d.ram()).isEqualTo(new Limit(85, 95));
    assertThat(d.disk()).isEqualTo(new Limit(90, 95));
  }

  @Test
  void belowEveryThresholdIsHealthy() {
    source.cpu(79.9).ram(84.9).disk("/", 89.9);
    try (SystemMonitor m = monitor(Thresholds.defaults())) {
      HealthStatus h = m.healthStatus();
      assertThat(h.status()).isEqualTo(HealthLevel.HEALTHY);
      assertThat(h.warnings()).isEmpty();
      assertThat(h.metrics()).isEqualTo(new HealthStatus.Figures(79.9, 84.9, 89.9));
      assertThat(h.timestamp()).isEqualTo(clock.instant());
    }
  }

  @Test
  void eachBreachIsASentenceAndTheWorstLevelWins() {
    source.cpu(85).ram(96.5).disk("/", 50).disk("/var/lib/postgresql", 91.2);
    try (SystemMonitor m = monitor(Thresholds.defaults())) {
      HealthStatus h = m.healthStatus();
      assertThat(h.status()).isEqualTo(HealthLevel.CRITICAL);
      assertThat(h.warnings()).containsExactly(
          "RAM usage is 96.5%, at or above the critical threshold of 95%",
          "CPU usage is 85%, at or above the warning threshold of 80%",
          "Disk /var/lib/postgresql is 91.2% full, at or above the warning threshold of 90%");
      assertThat(h.breaches()).extracting(Breach::metric)
          .containsExactly("ram_percent", "cpu_percent", "disk_percent:/var/lib/postgresql");
      assertThat(h.breaches().get(0).threshold()).isEqualTo(95.0);
    }
  }

  @Test
  void configuredThresholdsApply() {
    source.cpu(60).ram(10).disk("/", 10);
    try (SystemMonitor m = monitor(new Thresholds(new Limit(50, 70), new Limit(85, 95), new Limit(90, 95)))) {
      assertThat(m.healthStatus().status()).isEqualTo(HealthLevel.WARNING);
    }
    source.cpu(70);
    try (SystemMonitor m = monitor(new Thresholds(new Limit(50, 70), new Limit(85, 95), new Limit(90, 95)))) {
      assertThat(m.healthStatus().status()).isEqualTo(HealthLevel.CRITICAL);
      assertThat(m.healthStatus().warnings()).containsExactly("CPU usage is 70%, at or above the critical threshold of 70%");
    }
  }

  @Test
  void seedFormWarningThresholdsOnly() {
    Thresholds t = Thresholds.warningAt(70, 75, 80);
    assertThat(t.cpu()).isEqualTo(new Limit(70, 95));
    source.disk("/", 82);
    try (SystemMonitor m = monitor(t)) {
      assertThat(m.healthStatus().warnings()).containsExactly("Disk / is 82% full, at or above the warning threshold of 80%");
    }
  }

  @Test
  void badThresholdsAreRefusedWithTheValue() {
    assertThatThrownBy(() -> new Limit(96, 95)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("96").hasMessageContaining("95");
    assertThatThrownBy(() -> new Limit(80, 101)).hasMessageContaining("critical").hasMessageContaining("101");
    assertThatThrownBy(() -> new Limit(Double.NaN, 95)).hasMessageContaining("warning");
    assertThatThrownBy(() -> Thresholds.warningAt(97, 85, 90)).hasMessageContaining("97");
  }

  @Test
  void healthFollowsTheSourceAsItChanges() {
    try (SystemMonitor m = monitor(Thresholds.defaults())) {
      source.cpu(10);
      assertThat(m.sampleNow().health().status()).isEqualTo(HealthLevel.HEALTHY);
      source.cpu(99);
      assertThat(m.sampleNow().health().status()).isEqualTo(HealthLevel.CRITICAL);
      assertThat(m.healthStatus().status()).isEqualTo(HealthLevel.CRITICAL);
    }
  }
}
