package dev.vigil.monitor.anomaly;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the anomaly detector.
 *
 * @param window how many recent normal readings the median and MAD are taken over
 * @param bound the robust score above which (in absolute value) a reading is flagged
 * @param warmup readings a series needs before any is scored
 * @param confirm consecutive readings beyond the bound on the same side that make a level shift: the
 *     series' baseline then moves to the new level instead of flagging every later reading
 * @param cooldown after a series is flagged, how long it is not flagged again (a busy host's spikes
 *     come in bursts; one flag per burst is what a person wants)
 */
public record AnomalyOptions(int window, double bound, int warmup, int confirm, Duration cooldown) {
  /** Default readings the median and MAD are taken over. */
  public static final int DEFAULT_WINDOW = 120;
  /** Default robust score bound. */
  public static final double DEFAULT_BOUND = 4.5;
  /** Default warm-up readings. */
  public static final int DEFAULT_WARMUP = 20;
  /** Default readings that confirm a level shift. */
  public static final int DEFAULT_CONFIRM = 3;
  /** Default quiet time of a series after it was flagged. */
  public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);

  /** The options with the default cool-down. */
  public AnomalyOptions(int window, double bound, int warmup, int confirm) {
    this(window, bound, warmup, confirm, DEFAULT_COOLDOWN);
  }

  /**
   * Checks the ranges.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public AnomalyOptions {
    if (window < 10) {
      throw new IllegalArgumentException("anomaly window must be at least 10 readings, not " + window);
    }
    if (!(bound > 0)) {
      throw new IllegalArgumentException("anomaly bound must be positive, not " + bound);
    }
    if (warmup < 5 || warmup > window) {
      throw new IllegalArgumentException("anomaly warm-up must be between 5 and the window (" + window + "), not " + warmup);
    }
    if (confirm < 2) {
      throw new IllegalArgumentException("level-shift confirmation must be at least 2 readings, not " + confirm);
    }
    Objects.requireNonNull(cooldown, "cooldown");
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("anomaly cool-down must not be negative, not " + cooldown);
    }
  }

  /** Window 120 readings, bound 4.5, warm-up 20, level shift confirmed after 3 readings, cool-down 10 minutes. */
  public static AnomalyOptions defaults() {
    return new AnomalyOptions(DEFAULT_WINDOW, DEFAULT_BOUND, DEFAULT_WARMUP, DEFAULT_CONFIRM, DEFAULT_COOLDOWN);
  }

  /** These options with another bound. */
  public AnomalyOptions withBound(double newBound) {
    return new AnomalyOptions(window, newBound, warmup, confirm, cooldown);
  }

  /** These options with another cool-down ({@link Duration#ZERO} flags every excursion). */
  public AnomalyOptions withCooldown(Duration newCooldown) {
    return new AnomalyOptions(window, bound, warmup, confirm, newCooldown);
  }
}
