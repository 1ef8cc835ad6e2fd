package dev.vigil.monitor.health;

import dev.vigil.monitor.host.FileSystemUsage;
import dev.vigil.monitor.host.HostMetrics;
import dev.vigil.monitor.host.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Warning and critical thresholds for CPU, RAM and disk, and the judgement of a reading against them.
 * Defaults (SPEC §2, the documented {@code MONITORING_*_THRESHOLD}): warning cpu 80 / ram 85 / disk 90,
 * critical 95 each. The disk limit applies to every real file system, each breach named by its mount.
 *
 * @param cpu thresholds for {@code cpu_percent}
 * @param ram thresholds for {@code ram_percent}
 * @param disk thresholds for each file system's % full
 */
public record Thresholds(Limit cpu, Limit ram, Limit disk) {
  /** The default critical threshold of every metric. */
  public static final double DEFAULT_CRITICAL = 95.0;
  /** The default CPU warning threshold, %. */
  public static final double DEFAULT_CPU_WARNING = 80.0;
  /** The default RAM warning threshold, %. */
  public static final double DEFAULT_RAM_WARNING = 85.0;
  /** The default disk warning threshold, % full. */
  public static final double DEFAULT_DISK_WARNING = 90.0;

  /** Checks the fields. */
  public Thresholds {
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(ram, "ram");
    Objects.requireNonNull(disk, "disk");
  }

  /** The defaults: warning 80 / 85 / 90, critical 95. */
  public static Thresholds defaults() {
    return warningAt(DEFAULT_CPU_WARNING, DEFAULT_RAM_WARNING, DEFAULT_DISK_WARNING);
  }

  /**
   * The documented form: warning thresholds given, critical ones at {@value #DEFAULT_CRITICAL}.
   *
   * @throws IllegalArgumentException when a warning threshold is outside 0–100 or above 95
   */
  public static Thresholds warningAt(double cpu, double ram, double disk) {
    return new Thresholds(new Limit(cpu, DEFAULT_CRITICAL), new Limit(ram, DEFAULT_CRITICAL),
        new Limit(disk, DEFAULT_CRITICAL));
  }

  /** Judges {@code m}: one breach per crossed threshold, the most severe first. */
  public HealthStatus evaluate(HostMetrics m) {
    List<Breach> breaches = new ArrayList<>();
    check(breaches, Metric.CPU_PERCENT, "CPU usage is ", "%", m.cpuPercent(), cpu);
    check(breaches, Metric.RAM_PERCENT, "RAM usage is ", "%", m.ramPercent(), ram);
    for (FileSystemUsage d : m.disks()) {
      check(breaches, Metric.diskOf(d.mount()), "Disk " + d.mount() + " is ", "% full", d.percent(), disk);
    }
    breaches.sort(Comparator.comparing(Breach::level).reversed());
    HealthLevel level = HealthLevel.HEALTHY;
    List<String> warnings = new ArrayList<>(breaches.size());
    for (Breach b : breaches) {
      level = level.worst(b.level());
      warnings.add(b.message());
    }
    return new HealthStatus(level, m.timestamp(),
        new HealthStatus.Figures(m.cpuPercent(), m.ramPercent(), m.diskPercent()), warnings, breaches);
  }

  private static void check(List<Breach> out, String metric, String before, String after, double value, Limit limit) {
    HealthLevel level = limit.levelOf(value);
    if (level == HealthLevel.HEALTHY) {
      return;
    }
    double threshold = level == HealthLevel.CRITICAL ? limit.critical() : limit.warning();
    String sentence = before + one(value) + after + ", at or above the " + level.apiName()
        + " threshold of " + one(threshold) + "%";
    out.add(new Breach(metric, value, threshold, level, sentence));
  }

  /** {@code v} with at most one decimal, rounded half up (this runs on every sample: no formatter). */
  private static String one(double v) {
    if (v == Math.rint(v)) {
      return String.valueOf((long) v);
    }
    double r = Math.round(v * 10) / 10.0;
    return r == Math.rint(r) ? (long) r + ".0" : String.valueOf(r);
  }
}
