package dev.vigil.monitor.anomaly;

/**
 * Settings of the anomaly detector.
 *
 * @param window how many recent normal readings the median and MAD are taken over
 * @param bound the robust score above which (in absolute value) a reading is flagged
 * @param warmup readings a series needs before any is scored
 * @param confirm consecutive readings beyond the bound on the same side that make a level shift: the
 *     series' baseline then moves to the new level instead of flagging every later reading
 */
public record AnomalyOptions(int window, double bound, int warmup, int confirm) {

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
  }

  /** Robust score above which a reading is an anomaly by default. */
  public static final double DEFAULT_BOUND = 4.5;

  /** Window 120 readings, bound 4.5, warm-up 20, level shift confirmed after 3 readings. */
  public static AnomalyOptions defaults() {
    return new AnomalyOptions(120, DEFAULT_BOUND, 20, 3);
  }

  /** These options with another bound. */
  public AnomalyOptions withBound(double newBound) {
    return new AnomalyOptions(window, newBound, warmup, confirm);
  }
}
