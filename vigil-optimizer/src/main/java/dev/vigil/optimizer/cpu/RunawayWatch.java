package dev.vigil.optimizer.cpu;

import dev.vigil.monitor.process.ProcessInfo;
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
 * Flags runaway processes: every reading over the window at or above a CPU threshold (share of one
 * CPU, as {@code top} shows it). A finding for people ({@link Level#LOW}) with the figures; nothing is
 * applied (killing or renicing someone's process is theirs to decide).
 */
public final class RunawayWatch implements Finding {
  /** Window a process must stay hot for, by default. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
  /** CPU (% of one CPU) every reading must reach, by default. */
  public static final double DEFAULT_MIN_CPU = 90;
  /**
   * Shortest time between two readings (more frequent calls of {@link #sample()} are skipped): each
   * reading scans every process, and ten readings over the default window are enough to call one hot.
   */
  public static final Duration MIN_SPACING = Duration.ofMinutes(1);
  private static final int MIN_READINGS = 5;
  private static final int MAX_PROCESSES = 200;

  private record Reading(Instant at, double cpu) {
  }

  private final Supplier<List<ProcessInfo>> processes;
  private final Clock clock;
  private final Duration window;
  private final double minCpu;
  private final Duration spacing;
  private final Map<String, Deque<Reading>> series = new LinkedHashMap<>();
  private Instant last;

  /**
   * A watch over {@code processes} (e.g. the monitor's top processes by CPU).
   *
   * @param spacing shortest time between readings (at most a fifth of the window)
   * @throws IllegalArgumentException for a non-positive window, a threshold outside (0, 10000] or a spacing
   *     that leaves fewer than five readings per window
   */
  public RunawayWatch(Supplier<List<ProcessInfo>> processes, Clock clock, Duration window, double minCpu,
      Duration spacing) {
    this.processes = Objects.requireNonNull(processes, "processes");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (window == null || window.isNegative() || window.isZero() || !(minCpu > 0 && minCpu <= 10_000)
        || spacing == null || spacing.isNegative() || spacing.multipliedBy(MIN_READINGS).compareTo(window) > 0) {
      throw new IllegalArgumentException("runaway watch needs a positive window, a CPU threshold in (0, 10000] and"
          + " room for " + MIN_READINGS + " readings; got " + window + ", " + minCpu + ", " + spacing);
    }
    this.window = window;
    this.minCpu = minCpu;
    this.spacing = spacing;
  }

  @Override
  public String name() {
    return "cpu.runaway_watch";
  }

  @Override
  public Family family() {
    return Family.CPU_IO;
  }

  /** Takes one reading of every process's CPU, unless the last one is more recent than the spacing. */
  public synchronized void sample() {
    Instant now = clock.instant();
    if (last != null && Duration.between(last, now).compareTo(spacing) < 0) {
      return;
    }
    last = now;
    for (ProcessInfo p : processes.get()) {
      String key = p.pid() + " " + p.name();
      Deque<Reading> readings = series.get(key);
      if (readings == null) {
        if (series.size() >= MAX_PROCESSES) {
          continue;
        }
        readings = new ArrayDeque<>();
        series.put(key, readings);
      }
      readings.addLast(new Reading(now, p.cpuPercent()));
    }
    Instant oldest = now.minus(window);
    Iterator<Map.Entry<String, Deque<Reading>>> it = series.entrySet().iterator();
    while (it.hasNext()) {
      Deque<Reading> readings = it.next().getValue();
      while (!readings.isEmpty() && readings.peekFirst().at().isBefore(oldest)) {
        readings.removeFirst();
      }
      if (readings.isEmpty() || readings.peekLast().at().isBefore(now)) {
        it.remove();
      }
    }
  }

  @Override
  public synchronized List<Proposal> propose() {
    List<Proposal> found = new ArrayList<>();
    for (Map.Entry<String, Deque<Reading>> e : series.entrySet()) {
      Deque<Reading> readings = e.getValue();
      if (readings.size() < MIN_READINGS) {
        continue;
      }
      Duration covered = Duration.between(readings.peekFirst().at(), readings.peekLast().at());
      if (covered.compareTo(window.multipliedBy(4).dividedBy(5)) < 0) {
        continue;
      }
      double min = readings.stream().mapToDouble(Reading::cpu).min().orElse(0);
      if (min < minCpu) {
        continue;
      }
      double mean = readings.stream().mapToDouble(Reading::cpu).average().orElse(0);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("mean_cpu_percent", mean);
      details.put("min_cpu_percent", min);
      details.put("readings", readings.size());
      details.put("minutes", covered.toSeconds() / 60.0);
      found.add(new Proposal("cpu:runaway:" + e.getKey(), Family.CPU_IO, "runaway_process", Level.LOW,
          "process " + e.getKey(), String.format(Locale.ROOT, "CPU at %.0f%% of one CPU on average (never below "
              + "%.0f%%) over %.1f minutes, %d readings", mean, min, covered.toSeconds() / 60.0, readings.size()),
          "CPU (% of one CPU)", details));
    }
    return found;
  }

  @Override
  public String what() {
    return "a runaway process";
  }
}
