package dev.vigil.monitor.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.testing.MutableClock;
import dev.vigil.monitor.testing.SteerableMetricSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnomalyDetectorTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  /**
   * Synthetic series: Gaussian noise around a level, with injected single-reading spikes (6–12 sigma, up
   * or down) and level shifts (6–10 sigma), each event at least 150 readings from the next. An event counts
   * as found when an anomaly is flagged within 3 readings of it; a flag anywhere else is a false positive.
   */
  @Test
  void findsInjectedSpikesAndLevelShiftsWithPrecisionAndRecallAboveNinetyPercent() {
    Random random = new Random(20260301);
    int found = 0;
    int events = 0;
    int flags = 0;
    int truePositives = 0;
    for (int series = 0; series < 8; series++) {
      double sigma = 0.5 + random.nextDouble() * 3;
      double level = 20 + random.nextDouble() * 40;
      int length = 3000;
      TreeSet<Integer> eventAt = new TreeSet<>();
      double[] x = new double[length];
      int next = 200 + random.nextInt(100);
      boolean[] spike = new boolean[length];
      double[] shiftBy = new double[length];
      while (next < length - 10) {
        eventAt.add(next);
        if (random.nextBoolean()) {
          spike[next] = true;
        } else {
          shiftBy[next] = (random.nextBoolean() ? 1 : -1) * (6 + random.nextDouble() * 4) * sigma;
        }
        next += 150 + random.nextInt(150);
      }
      for (int i = 0; i < length; i++) {
        level += shiftBy[i];
        x[i] = level + random.nextGaussian() * sigma;
        if (spike[i]) {
          x[i] += (random.nextBoolean() ? 1 : -1) * (6 + random.nextDouble() * 6) * sigma;
        }
      }
      // the statistics alone: no cool-down, no minimum effect
      AnomalyDetector detector = new AnomalyDetector(AnomalyOptions.defaults().withCooldown(Duration.ZERO),
          name -> 0.01);
      List<Integer> flagged = new ArrayList<>();
      for (int i = 0; i < length; i++) {
        if (!detector.observe(T0.plusSeconds(i), Map.of("series", x[i])).isEmpty()) {
          flagged.add(i);
        }
      }
      events += eventAt.size();
      flags += flagged.size();
      for (int e : eventAt) {
        if (flagged.stream().anyMatch(f -> f >= e && f <= e + 3)) {
          found++;
        }
      }
      for (int f : flagged) {
        Integer e = eventAt.floor(f);
        if (e != null && f - e <= 3) {
          truePositives++;
        }
      }
    }
    double precision = (double) truePositives / flags;
    double recall = (double) found / events;
    System.out.printf("anomaly detector: %d events, %d flagged, precision %.3f, recall %.3f%n", events, flags, precision,
        recall);
    assertThat(precision).isGreaterThanOrEqualTo(0.9);
    assertThat(recall).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void aLevelShiftIsFlaggedOnceAndThenBecomesNormal() {
    AnomalyDetector d = new AnomalyDetector(AnomalyOptions.defaults(), name -> 0.01);
    Random random = new Random(1);
    int flags = 0;
    for (int i = 0; i < 600; i++) {
      double level = i < 300 ? 10 : 30;
      flags += d.observe(T0.plusSeconds(i), Map.of("s", level + random.nextGaussian())).size();
    }
    assertThat(flags).isEqualTo(1);
    assertThat(Math.abs(d.lastScores().get("s"))).isLessThan(4.5);
  }

  @Test
  void aFlatSeriesIsNotFlaggedForMovesWithinItsNoiseFloor() {
    AnomalyDetector d = new AnomalyDetector(AnomalyOptions.defaults());
    int flags = 0;
    for (int i = 0; i < 200; i++) {
      flags += d.observe(T0.plusSeconds(i), Map.of("disk_write_bytes_per_sec", i % 50 == 0 ? 100_000.0 : 0.0)).size();
    }
    assertThat(flags).isZero();
  }

  @Test
  void optionsAreChecked() {
    assertThatThrownBy(() -> new AnomalyOptions(5, 4, 5, 3)).hasMessageContaining("window");
    assertThatThrownBy(() -> new AnomalyOptions(60, 0, 20, 3)).hasMessageContaining("bound");
    assertThatThrownBy(() -> new AnomalyOptions(60, 4, 80, 3)).hasMessageContaining("warm-up");
    assertThatThrownBy(() -> new AnomalyOptions(60, 4, 20, 1)).hasMessageContaining("level-shift");
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void theMonitorKeepsFlaggedAnomaliesAcrossARestart(StateStore.Kind kind, @TempDir Path dir) {
    MutableClock clock = MutableClock.at(T0);
    AtomicReference<Double> cpu = new AtomicReference<>(20.0);
    Random random = new Random(3);
    SteerableMetricSource source = new SteerableMetricSource().cpu(() -> cpu.get() + random.nextGaussian() * 2);
    Instant spikeAt;
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      try (SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).store(h.store()).host("h").build()) {
        for (int i = 0; i < 100; i++) {
          m.sampleNow();
          clock.advance(Duration.ofSeconds(5));
        }
        cpu.set(97.0);
        spikeAt = clock.instant();
        // the steerable source derives the load averages from CPU, so they jump with it
        assertThat(m.sampleNow().anomalies()).extracting(Anomaly::metric)
            .containsExactlyInAnyOrder("cpu_percent", "load_1", "load_5", "load_15");
        assertThat(m.anomalies(T0, clock.instant().plusSeconds(1), "cpu_percent")).singleElement().satisfies(a -> {
          assertThat(a.score()).isGreaterThan(4.5);
          assertThat(a.message()).startsWith("CPU 9").contains("unusually high");
        });
        cpu.set(20.0);
        clock.advance(Duration.ofSeconds(5));
        m.sampleNow();
      }
      try (StateStore again = StateStore.open(h.url(), dir);
           SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).store(again).host("h").build()) {
        assertThat(m.anomalies(T0, clock.instant(), "cpu_percent")).singleElement()
            .satisfies(a -> assertThat(a.time()).isEqualTo(spikeAt));
        assertThat(m.anomalies(T0, clock.instant(), null)).extracting(Anomaly::metric).contains("cpu_percent");
        assertThatThrownBy(() -> m.anomalies(clock.instant(), T0, null)).hasMessageContaining("from");
      }
    }
  }
}
