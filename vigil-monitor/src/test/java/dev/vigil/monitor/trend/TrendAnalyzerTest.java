package dev.vigil.monitor.trend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.history.HistoryPoint;
import dev.vigil.monitor.testing.MutableClock;
import dev.vigil.monitor.testing.SteerableMetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrendAnalyzerTest {

  @Test
  void fitsAnExactLine() {
    LinearFit f = LinearFit.of(new double[] {0, 1, 2, 3}, new double[] {1, 3, 5, 7}).orElseThrow();
    assertThat(f.slope()).isEqualTo(2.0);
    assertThat(f.intercept()).isEqualTo(1.0);
    assertThat(f.r2()).isEqualTo(1.0);
    assertThat(LinearFit.of(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isEmpty();
    assertThat(LinearFit.of(new double[] {1, 2}, new double[] {1, 2})).isEmpty();
  }

  @Test
  void forecastsTheCrossingOfNoisyLinearGrowthWithinTenPercent() {
    Random random = new Random(7);
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    double slopePerHour = 0.4;
    double nowLevel = 70;
    double threshold = 90;
    List<HistoryPoint> points = new ArrayList<>();
    for (int minutes = -48 * 60; minutes <= 0; minutes += 5) {
      double v = nowLevel + slopePerHour * minutes / 60.0 + random.nextGaussian() * 1.5;
      points.add(new HistoryPoint(now.plus(Duration.ofMinutes(minutes)), v, v, v, 1));
    }
    Trend t = TrendAnalyzer.analyze("disk_percent:/", points, now, Duration.ofHours(48), threshold);
    double trueHours = (threshold - nowLevel) / slopePerHour;
    double forecastHours = Duration.between(now, t.crossingAt()).toMinutes() / 60.0;
    System.out.printf("trend: true crossing in %.1f h, forecast in %.1f h (error %.1f %%): %s%n", trueHours, forecastHours,
        100 * Math.abs(forecastHours - trueHours) / trueHours, t.message());
    assertThat(forecastHours).isCloseTo(trueHours, within(trueHours * 0.10));
    assertThat(t.slopePerHour()).isCloseTo(slopePerHour, within(0.04));
    assertThat(t.message()).isEqualTo("disk / reaches 90% in about 2 days");
  }

  @Test
  void sentencesForOtherCases() {
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    assertThat(TrendAnalyzer.analyze("ram_percent", line(now, 50, -1), now, Duration.ofHours(10), 85.0).message())
        .isEqualTo("RAM is not rising towards 85% (falling by 1% per hour)");
    Trend above = TrendAnalyzer.analyze("cpu_percent", line(now, 97, 0.5), now, Duration.ofHours(10), 80.0);
    assertThat(above.message()).isEqualTo("CPU is at or above 80% already");
    assertThat(above.crossingAt()).isNull();
    assertThat(TrendAnalyzer.analyze("swap_percent", line(now, 5, 0.25), now, Duration.ofHours(10), null).message())
        .isEqualTo("swap is rising by 0.25% per hour");
    assertThat(TrendAnalyzer.analyze("disk_percent:/", line(now, 10, 0.001), now, Duration.ofHours(10), 90.0).message())
        .isEqualTo("disk / is steady");
    assertThat(TrendAnalyzer.analyze("cpu_percent", List.of(), now, Duration.ofHours(1), 80.0).message())
        .contains("not enough data");
    assertThat(TrendAnalyzer.humanize(Duration.ofMinutes(40))).isEqualTo("about 40 minutes");
    assertThat(TrendAnalyzer.humanize(Duration.ofHours(5))).isEqualTo("about 5 hours");
    assertThat(TrendAnalyzer.humanize(Duration.ofHours(72))).isEqualTo("about 3 days");
    assertThat(TrendAnalyzer.humanize(Duration.ofSeconds(20))).isEqualTo("about 1 minute");
  }

  @Test
  void theMonitorForecastsADiskFillingUpFromItsHistory() {
    MutableClock clock = MutableClock.at("2026-05-01T11:00:00Z");
    Instant start = clock.instant();
    // 80 % an hour ago, rising 2 % per hour: 82 % now, 90 % in 4 hours
    SteerableMetricSource source = new SteerableMetricSource()
        .disk("/", () -> 80 + 2.0 * Duration.between(start, clock.instant()).toSeconds() / 3600.0);
    try (SystemMonitor m = SystemMonitor.builder().source(source).clock(clock).build()) {
      for (int s = 0; s <= 3600; s += 10) {
        m.sampleNow();
        clock.advance(Duration.ofSeconds(10));
      }
      Trend disk = m.trends(Duration.ofHours(1)).stream().filter(t -> t.metric().equals("disk_percent:/")).findFirst()
          .orElseThrow();
      assertThat(disk.message()).isEqualTo("disk / reaches 90% in about 4 hours");
      assertThat(disk.slopePerHour()).isCloseTo(2.0, within(0.01));
      assertThat(Duration.between(clock.instant(), disk.crossingAt()).toMinutes()).isCloseTo(240, within(3L));
      assertThat(m.trends(Duration.ofHours(1))).extracting(Trend::metric)
          .containsExactly("cpu_percent", "ram_percent", "swap_percent", "disk_percent:/");
    }
  }

  @Test
  void thirtySecondsOfNoisyDataGiveNoTrendAndAPoorFitGivesNoForecast() {
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    List<HistoryPoint> shortBurst = new ArrayList<>();
    for (int s = -30; s <= 0; s++) {
      double v = s > -5 ? 5 : 60;
      shortBurst.add(new HistoryPoint(now.plusSeconds(s), v, v, v, 1));
    }
    Trend cpu = TrendAnalyzer.analyze("cpu_percent", shortBurst, now, Duration.ofMinutes(1), 95.0);
    assertThat(cpu.message()).isEqualTo("CPU: not enough data for a trend (31 points over 30 seconds; a trend needs "
        + "10 points over 10 minutes)").doesNotContain("per hour");
    assertThat(cpu.slopePerHour()).isNull();
    assertThat(cpu.crossingAt()).isNull();

    Random random = new Random(3);
    List<HistoryPoint> noisy = new ArrayList<>();
    for (int minutes = -60; minutes <= 0; minutes++) {
      double v = 60 + 0.02 * minutes + random.nextGaussian() * 8;
      noisy.add(new HistoryPoint(now.plus(Duration.ofMinutes(minutes)), v, v, v, 1));
    }
    Trend ram = TrendAnalyzer.analyze("ram_percent", noisy, now, Duration.ofHours(1), 85.0);
    assertThat(ram.r2()).isNotNull().isLessThan(TrendAnalyzer.MIN_R2);
    assertThat(ram.crossingAt()).isNull();
    assertThat(ram.message()).satisfiesAnyOf(msg -> assertThat(msg).startsWith("RAM: no clear trend (the line fits "
        + "poorly, r² = "), msg -> assertThat(msg).isEqualTo("RAM is steady"));
    assertThat(TrendAnalyzer.analyze("swap_percent", line(now, 5, 0), now, Duration.ofHours(10), null).message())
        .isEqualTo("swap is steady");
  }

  private static List<HistoryPoint> line(Instant now, double level, double perHour) {
    List<HistoryPoint> out = new ArrayList<>();
    for (int h = -10; h <= 0; h++) {
      double v = level + perHour * h;
      out.add(new HistoryPoint(now.plus(Duration.ofHours(h)), v, v, v, 1));
    }
    return out;
  }
}
