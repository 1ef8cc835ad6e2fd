package dev.vigil.monitor.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.monitor.host.Metric;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A recorded trace of a busy host (13 minutes at 1 s sampling, {@code anomaly/busy-host-1s.csv}: a
 * 2-core machine shared by several engineers building and testing) replayed through the detector. A
 * person would call a few of its moments unusual, not hundreds: the rate of flags per hour is reported
 * and bounded, and every message is in human units.
 */
class BusyTraceTest {
  private static final Instant T0 = Instant.parse("2026-12-05T02:26:00Z");

  @Test
  void aBusyHostGetsAFewFlagsPerHourNotHundreds() throws IOException {
    List<Map<String, Double>> trace = load();
    double hours = trace.size() / 3600.0;
    List<Anomaly> now = replay(trace, new AnomalyDetector(AnomalyOptions.defaults()));
    List<Anomaly> statisticsOnly = replay(trace, new AnomalyDetector(AnomalyOptions.defaults()
        .withCooldown(Duration.ZERO), name -> Metric.of(name).noiseFloor(), MinimumEffect.NONE));
    System.out.printf("busy trace (%d readings at 1 s): %d anomalies = %.1f per hour (statistics alone: %d = %.1f per "
        + "hour)%n", trace.size(), now.size(), now.size() / hours, statisticsOnly.size(), statisticsOnly.size() / hours);
    now.forEach(a -> System.out.println("  " + a.time() + " " + a.message()));
    assertThat(now.size() / hours).isLessThanOrEqualTo(40);
    assertThat(now.size()).isLessThan(statisticsOnly.size());
    Map<String, Long> perSeries = new LinkedHashMap<>();
    now.forEach(a -> perSeries.merge(a.metric(), 1L, Long::sum));
    assertThat(perSeries.values()).allMatch(n -> n <= Math.ceil(trace.size() / 600.0));
    for (Anomaly a : now) {
      assertThat(a.message()).doesNotContainPattern("\\d{7,}").doesNotContain("B/s (typical").doesNotContain("E");
    }
  }

  @Test
  void messagesUseHumanUnits() {
    Anomaly writes = new Anomaly(T0, Metric.DISK_WRITE, 140246326.3, 12.04, 2_202_009.6);
    assertThat(writes.message()).isEqualTo("disk writes 133.7 MB/s is unusually high (typical 2.1 MB/s, score 12.0)");
    assertThat(new Anomaly(T0, Metric.CPU_PERCENT, 97.24, 8.4, 35.1).message())
        .isEqualTo("CPU 97.2% is unusually high (typical 35.1%, score 8.4)");
    assertThat(new Anomaly(T0, Metric.NET_RX, 900, -5, 5000).message())
        .isEqualTo("network receive 900 B/s is unusually low (typical 4.9 KB/s, score -5.0)");
  }

  @Test
  void aSmallMoveOnAQuietSeriesAndARepeatWithinTheCooldownAreNotFlagged() {
    AnomalyDetector d = new AnomalyDetector(AnomalyOptions.defaults());
    Instant t = T0;
    for (int i = 0; i < 60; i++) {
      d.observe(t, Map.of(Metric.CPU_PERCENT, 3.0 + (i % 2) * 0.2));
      t = t.plusSeconds(1);
    }
    assertThat(d.observe(t, Map.of(Metric.CPU_PERCENT, 9.0))).as("6 points above a quiet 3 %").isEmpty();
    t = t.plusSeconds(1);
    assertThat(d.observe(t, Map.of(Metric.CPU_PERCENT, 60.0))).hasSize(1);
    t = t.plusSeconds(1);
    d.observe(t, Map.of(Metric.CPU_PERCENT, 3.0));
    t = t.plusSeconds(1);
    assertThat(d.observe(t, Map.of(Metric.CPU_PERCENT, 70.0))).as("within the cool-down").isEmpty();
    t = t.plus(AnomalyOptions.DEFAULT_COOLDOWN);
    d.observe(t, Map.of(Metric.CPU_PERCENT, 3.0));
    assertThat(d.observe(t.plusSeconds(1), Map.of(Metric.CPU_PERCENT, 80.0))).hasSize(1);
  }

  private static List<Anomaly> replay(List<Map<String, Double>> trace, AnomalyDetector detector) {
    List<Anomaly> out = new ArrayList<>();
    for (int i = 0; i < trace.size(); i++) {
      out.addAll(detector.observe(T0.plusSeconds(i), trace.get(i)));
    }
    return out;
  }

  private static List<Map<String, Double>> load() throws IOException {
    try (InputStream in = BusyTraceTest.class.getResourceAsStream("/anomaly/busy-host-1s.csv")) {
      assertThat(in).as("test resource anomaly/busy-host-1s.csv").isNotNull();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String[] header = null;
      List<Map<String, Double>> rows = new ArrayList<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        if (header == null) {
          header = f;
          continue;
        }
        Map<String, Double> row = new LinkedHashMap<>();
        for (int k = 1; k < f.length; k++) {
          row.put(header[k], Double.parseDouble(f[k]));
        }
        rows.add(row);
      }
      return rows;
    }
  }
}
