package dev.vigil.insight;

import java.util.Locale;

/** How {@link DatabaseInsight#queries} orders query shapes (largest first). */
public enum QuerySort {
  /** Total execution time in the window: what the database spends most of its time on. */
  TOTAL_TIME,
  /** Mean execution time per call. */
  MEAN_TIME,
  /** Number of calls. */
  CALLS,
  /** Rows returned or affected. */
  ROWS,
  /** Blocks read from outside the database's cache. */
  READS;

  /**
   * Parses {@code total_time}, {@code mean_time}, {@code calls}, {@code rows} or {@code reads}
   * (case and {@code -}/{@code _} insensitive).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static QuerySort parse(String text) {
    if (text == null || text.isBlank()) {
      return TOTAL_TIME;
    }
    String t = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (QuerySort s : values()) {
      if (s.name().equals(t) || s.name().replace("_TIME", "").equals(t)) {
        return s;
      }
    }
    throw new IllegalArgumentException("sort must be one of total_time, mean_time, calls, rows, reads, not '"
        + text + "'");
  }
}
