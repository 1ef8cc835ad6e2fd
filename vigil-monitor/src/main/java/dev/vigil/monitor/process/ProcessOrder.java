package dev.vigil.monitor.process;

import java.util.Locale;

/** How a top-N process listing is ordered. */
public enum ProcessOrder {
  /** Highest CPU use over the window first. */
  CPU,
  /** Largest resident memory first. */
  MEMORY;

  /**
   * Parses {@code cpu} or {@code memory} (any case).
   *
   * @throws IllegalArgumentException naming the bad value and the allowed ones
   */
  public static ProcessOrder parse(String value) {
    if (value != null) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "cpu":
          return CPU;
        case "memory":
        case "mem":
          return MEMORY;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("sort must be 'cpu' or 'memory', not '" + value + "'");
  }
}
