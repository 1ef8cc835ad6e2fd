package dev.vigil.optimizer;

import java.util.Locale;

/**
 * How far the optimizer may go without asking. Each level includes the ones before it:
 * {@code low} analyses and reports only; {@code medium} adds reversible, non-blocking changes
 * (ANALYZE, cache warming and TTLs, job priorities); {@code high} adds concurrent index builds, proxy
 * cache rules, cache resizing and VACUUM; {@code aggressive} adds dropping indexes and anything that
 * takes a stronger lock, and is preceded by a recovery checkpoint.
 */
public enum Level {
  /** Analyse and report only. */
  LOW,
  /** Also reversible, non-blocking changes. */
  MEDIUM,
  /** Also concurrent index builds, cache rules and resizing, VACUUM. */
  HIGH,
  /** Also dropping indexes and changes that take stronger locks. */
  AGGRESSIVE;

  /** Whether a run at this level applies a change that needs {@code required}. */
  public boolean allows(Level required) {
    return required != LOW && ordinal() >= required.ordinal();
  }

  /** The lower-case name used in config, API and CLI. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code low}, {@code medium}, {@code high} or {@code aggressive}.
   *
   * @throws IllegalArgumentException naming the allowed levels
   */
  public static Level parse(String text) {
    if (text != null) {
      for (Level l : values()) {
        if (l.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return l;
        }
      }
    }
    throw new IllegalArgumentException("optimizer level must be one of low, medium, high, aggressive; got '"
        + text + "'");
  }
}
