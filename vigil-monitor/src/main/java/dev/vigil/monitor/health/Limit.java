package dev.vigil.monitor.health;

/**
 * The warning and critical thresholds of one percentage metric; a value at or above a threshold
 * crosses it.
 *
 * @param warning the value at which health becomes {@code warning}, 0–100
 * @param critical the value at which health becomes {@code critical}, 0–100, not below {@code warning}
 */
public record Limit(double warning, double critical) {

  /**
   * Checks the range and order.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public Limit {
    check("warning", warning);
    check("critical", critical);
    if (warning > critical) {
      throw new IllegalArgumentException("warning threshold " + warning + " is above the critical threshold " + critical);
    }
  }

  private static void check(String which, double v) {
    if (!(v >= 0 && v <= 100)) {
      throw new IllegalArgumentException(which + " threshold must be between 0 and 100, not " + v);
    }
  }

  /** The level {@code value} reaches against these thresholds. */
  public HealthLevel levelOf(double value) {
    if (value >= critical) {
      return HealthLevel.CRITICAL;
    }
    return value >= warning ? HealthLevel.WARNING : HealthLevel.HEALTHY;
  }
}
