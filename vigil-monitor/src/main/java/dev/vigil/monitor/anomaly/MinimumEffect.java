package dev.vigil.monitor.anomaly;

import dev.vigil.monitor.host.Metric;

/**
 * The smallest distance from a series' typical value that is worth a flag, whatever the statistics
 * say: a CPU moving from 3 % to 9 % is many MADs away on a quiet host but nobody would call it unusual.
 */
@FunctionalInterface
public interface MinimumEffect {
  /** No minimum: every statistically unusual reading is flagged. */
  MinimumEffect NONE = (metric, typical) -> 0;

  /** Percentage points a percentage must move. */
  double PERCENT_POINTS = 10;
  /** A rate must move by this many times its typical value. */
  double RATE_FACTOR = 1.0;
  /** Bytes per second a byte rate must move at least (5 MiB/s). */
  double BYTES_PER_SEC_FLOOR = 5 * 1024 * 1024;
  /** Operations per second an operation rate must move at least. */
  double OPS_FLOOR = 100;
  /** Errors per second an error rate must move at least. */
  double ERRORS_FLOOR = 5;
  /** Load a load average must move at least. */
  double LOAD_FLOOR = 1.0;
  /** Processes the process count must move at least. */
  double PROCESS_FLOOR = 25;

  /**
   * The host metrics' minimum effects: {@value #PERCENT_POINTS} points for a percentage; for a rate
   * ({@code B/s}, {@code ops/s}, {@code /s}) {@value #RATE_FACTOR} times the typical value and at least a
   * floor ({@value #BYTES_PER_SEC_FLOOR} B/s, {@value #OPS_FLOOR} ops/s, {@value #ERRORS_FLOOR}/s); half
   * the typical load and at least {@value #LOAD_FLOOR}; {@value #PROCESS_FLOOR} processes.
   */
  MinimumEffect HOST_METRICS = (metric, typical) -> {
    if (!Metric.isKnown(metric)) {
      return 0;
    }
    Metric m = Metric.of(metric);
    double t = Math.abs(typical);
    return switch (m.unit()) {
      case "%" -> PERCENT_POINTS;
      case "B/s" -> Math.max(BYTES_PER_SEC_FLOOR, RATE_FACTOR * t);
      case "ops/s" -> Math.max(OPS_FLOOR, RATE_FACTOR * t);
      case "/s" -> Math.max(ERRORS_FLOOR, RATE_FACTOR * t);
      default -> metric.startsWith("load") ? Math.max(LOAD_FLOOR, 0.5 * t) : Math.max(PROCESS_FLOOR, 0.25 * t);
    };
  };

  /** The minimum distance from {@code typical} for {@code metric}. */
  double of(String metric, double typical);
}
