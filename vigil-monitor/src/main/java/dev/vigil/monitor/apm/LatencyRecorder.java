package dev.vigil.monitor.apm;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.micrometer.core.instrument.distribution.TimeWindowPercentileHistogram;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations of one name: lifetime count, errors, slow calls and mean, plus percentiles, maximum and
 * counts over a sliding window (Micrometer's time-window histogram over HdrHistogram, rotating one
 * slot per fifth of the window). Lock-free on the record path.
 */
final class LatencyRecorder {
  private static final int SLOTS = 5;

  private final String name;
  private final Clock clock;
  private final Duration window;
  private final TimeWindowPercentileHistogram histogram;
  private final TimeWindowMax max;
  private final LongAdder count = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder slow = new LongAdder();
  private final DoubleAdder totalNanos = new DoubleAdder();
  private final RollingCount recent;
  private final RollingCount recentErrors;

  LatencyRecorder(String name, Clock clock, Duration window) {
    this.name = name;
    this.clock = clock;
    this.window = window;
    DistributionStatisticConfig config = DistributionStatisticConfig.builder()
        .percentiles(0.5, 0.95, 0.99)
        .percentilePrecision(2)
        .expiry(window)
        .bufferLength(SLOTS)
        .minimumExpectedValue((double) TimeUnit.MICROSECONDS.toNanos(1))
        .maximumExpectedValue((double) TimeUnit.HOURS.toNanos(1))
        .build()
        .merge(DistributionStatisticConfig.DEFAULT);
    this.histogram = new TimeWindowPercentileHistogram(clock, config, false);
    this.max = new TimeWindowMax(clock, config);
    long slotMillis = Math.max(1, window.toMillis() / SLOTS);
    this.recent = new RollingCount(slotMillis, SLOTS);
    this.recentErrors = new RollingCount(slotMillis, SLOTS);
  }

  /** Records one call. */
  void record(long nanos, boolean failed, boolean wasSlow) {
    long n = Math.max(0, nanos);
    histogram.recordLong(n);
    max.record((double) n);
    count.increment();
    totalNanos.add(n);
    long now = clock.wallTime();
    recent.add(now, 1);
    if (failed) {
      errors.increment();
      recentErrors.add(now, 1);
    }
    if (wasSlow) {
      slow.increment();
    }
  }

  long count() {
    return count.sum();
  }

  long slow() {
    return slow.sum();
  }

  long errors() {
    return errors.sum();
  }

  LatencyStats snapshot() {
    long c = count.sum();
    long now = clock.wallTime();
    long rc = recent.sum(now);
    long re = recentErrors.sum(now);
    double windowMax = max.poll();
    HistogramSnapshot s = histogram.takeSnapshot(c, totalNanos.sum(), windowMax);
    double p50 = 0;
    double p95 = 0;
    double p99 = 0;
    if (rc > 0) {
      for (ValueAtPercentile v : s.percentileValues()) {
        double ms = v.value(TimeUnit.MILLISECONDS);
        if (v.percentile() == 0.5) {
          p50 = ms;
        } else if (v.percentile() == 0.95) {
          p95 = ms;
        } else if (v.percentile() == 0.99) {
          p99 = ms;
        }
      }
    }
    return new LatencyStats(name, c, errors.sum(), slow.sum(), c == 0 ? 0 : round(totalNanos.sum() / c / 1e6), rc, re,
        rc == 0 ? 0 : round4((double) re / rc), round(p50), round(p95), round(p99), round(windowMax / 1e6),
        window.toSeconds());
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
