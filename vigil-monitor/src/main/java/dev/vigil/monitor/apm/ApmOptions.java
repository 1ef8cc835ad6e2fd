package dev.vigil.monitor.apm;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link PerformanceMonitor} and {@link RequestTracker}.
 *
 * @param slowQuery queries slower than this are logged as a warning (default 500 ms)
 * @param slowOperation operations slower than this are logged as a warning (default 1 s)
 * @param slowRequest HTTP requests slower than this count as slow (default 200 ms, the seed's target)
 * @param window the sliding window of percentiles and recent counts (default 5 minutes)
 * @param maxNames distinct names tracked per kind; further ones are counted under {@value #OTHER}
 * @param clock the time source of the windows
 */
public record ApmOptions(Duration slowQuery, Duration slowOperation, Duration slowRequest, Duration window, int maxNames,
    Clock clock) {
  /** The name that calls beyond {@code maxNames} distinct names are counted under. */
  public static final String OTHER = "(other)";
  /** Queries slower than this are logged by default. */
  public static final Duration DEFAULT_SLOW_QUERY = Duration.ofMillis(500);
  /** Operations slower than this are logged by default. */
  public static final Duration DEFAULT_SLOW_OPERATION = Duration.ofSeconds(1);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public ApmOptions {
    positive("slow query threshold", slowQuery);
    positive("slow operation threshold", slowOperation);
    positive("slow request threshold", slowRequest);
    positive("window", window);
    if (window.compareTo(Duration.ofSeconds(5)) < 0) {
      throw new IllegalArgumentException("window must be at least 5 seconds, not " + window);
    }
    if (maxNames < 1) {
      throw new IllegalArgumentException("maxNames must be at least 1, not " + maxNames);
    }
    Objects.requireNonNull(clock, "clock");
  }

  private static void positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + d);
    }
  }

  /** 500 ms, 1 s, 200 ms, a 5-minute window, 500 names, the system clock. */
  public static ApmOptions defaults() {
    return new ApmOptions(DEFAULT_SLOW_QUERY, DEFAULT_SLOW_OPERATION, Duration.ofMillis(200), Duration.ofMinutes(5),
        500, Clock.systemUTC());
  }

  /** These options with other slow thresholds for queries and operations. */
  public ApmOptions withSlow(Duration query, Duration operation) {
    return new ApmOptions(query, operation, slowRequest, window, maxNames, clock);
  }

  /** These options with another clock. */
  public ApmOptions withClock(Clock newClock) {
    return new ApmOptions(slowQuery, slowOperation, slowRequest, window, maxNames, newClock);
  }
}
