package dev.vigil.alert.rule;

import java.util.Map;
import java.util.TreeMap;

/**
 * One series of a metric: its labels and current value.
 *
 * @param labels the series labels (may be empty)
 * @param value the value
 */
public record Series(Map<String, String> labels, double value) {
  /** Copies the labels. */
  public Series {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** A series without labels. */
  public static Series of(double value) {
    return new Series(Map.of(), value);
  }
}
