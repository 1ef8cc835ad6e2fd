package dev.vigil.optimizer.memory;

import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.trend.LinearFit;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Finding;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Proposal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Flags application processes whose memory keeps rising: a least-squares line through each process's
 * resident memory over the window, reported when it climbs faster than a minimum rate with a good fit
 * (r²). A finding for people ({@link Level#LOW}), never a fake fix: nothing is applied.
 */
public final class LeakWatch implements Finding {
  /** Window the trend is fitted over, by default. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
  /** Slowest climb reported, in MB per hour, by default. */
  public static final double DEFAULT_MIN_MB_PER_HOUR = 50;
  /** Poorest fit reported, by default. */
  public static final double DEFAULT_MIN_R2 = 0.8;
  private static final int MIN_POINTS = 10;
  private static final int MAX_PROCESSES = 200;

  private final Supplier<List<ProcessInfo>> processes;
  private final Clock clock;
  private final Duration window;
  private final double minMbPerHour;
  private final double minR2;
  private final Map<String, Deque<double[]>> series = new LinkedHashMap<>();

  /**
   * A watch over {@code processes} (e.g. the monitor's top processes by memory).
   *
   * @throws IllegalArgumentException for a non-positive window or rate, or r² outside (0, 1]
   */
  public LeakWatch(Supplier<List<ProcessInfo>> processes, Clock clock, Duration window, double minMbPerHour,
      double minR2) {
    this.processes = Objects.requireNonNull(processes, "processes");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (window == null || window.isNegative() || window.isZero() || !(minMbPerHour > 0) || !(minR2 > 0 && minR2 <= 1)) {
      throw new IllegalArgumentException("leak watch needs a positive window and rate and r² in (0, 1]; got "
          + window + ", " + minMbPerHour + ", " + minR2);
    }
    this.window = window;
    this.minMbPerHour = minMbPerHour;
    this.minR2 = minR2;
  }

  @Override
  public String name() {
    return "memory.leak_watch";
  }

  @Override
  public Family family() {
    return Family.MEMORY;
  }

  /** Takes one reading of every process's memory (call it on the sampling schedule). */
  public synchronized void sample() {
    Instant now = clock.instant();
    for (ProcessInfo p : processes.get()) {
      String key = p.pid() + " " + p.name();
      Deque<double[]> points = series.get(key);
      if (points == null) {
        if (series.size() >= MAX_PROCESSES) {
          continue;
        }
        points = new ArrayDeque<>();
        series.put(key, points);
      }
      points.addLast(new double[] {now.toEpochMilli() / 3_600_000.0, p.memoryMb()});
    }
    double oldest = now.minus(window).toEpochMilli() / 3_600_000.0;
    Iterator<Map.Entry<String, Deque<double[]>>> it = series.entrySet().iterator();
    while (it.hasNext()) {
      Deque<double[]> points = it.next().getValue();
      while (!points.isEmpty() && points.peekFirst()[0] < oldest) {
        points.removeFirst();
      }
      if (points.isEmpty()) {
        it.remove();
      }
    }
  }

  @Override
  public synchronized List<Proposal> propose() {
    List<Proposal> found = new ArrayList<>();
    for (Map.Entry<String, Deque<double[]>> e : series.entrySet()) {
      Deque<double[]> points = e.getValue();
      if (points.size() < MIN_POINTS) {
        continue;
      }
      double[] hours = points.stream().mapToDouble(p -> p[0]).toArray();
      double[] mb = points.stream().mapToDouble(p -> p[1]).toArray();
      LinearFit.of(hours, mb).filter(f -> f.slope() >= minMbPerHour && f.r2() >= minR2).ifPresent(f -> found.add(
          new Proposal("memory:leak:" + e.getKey(), Family.MEMORY, "leak_trend", Level.LOW, "process " + e.getKey(),
              String.format(Locale.ROOT, "resident memory rising %.0f MB/h (r²=%.2f over %d readings, now %.0f MB)",
                  f.slope(), f.r2(), points.size(), mb[mb.length - 1]),
              "resident memory (MB)", Map.of("slope_mb_per_hour", f.slope(), "r2", f.r2()))));
    }
    return found;
  }

  @Override
  public String what() {
    return "a leak trend";
  }
}
