package dev.vigil.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The documented log levels (Python's names: DEBUG, INFO, WARNING, ERROR, CRITICAL, plus TRACE for Java)
 * and how they map onto Logback, which has no CRITICAL: a critical record is an ERROR carrying the
 * {@link #CRITICAL_MARKER} marker.
 */
public enum LogLevel {
  /** Finer than debug; Logback TRACE. */
  TRACE(Level.TRACE),
  /** Detail for developers. */
  DEBUG(Level.DEBUG),
  /** Normal operation. */
  INFO(Level.INFO),
  /** Something unexpected that the program survived; Logback WARN. */
  WARNING(Level.WARN),
  /** An operation failed. */
  ERROR(Level.ERROR),
  /** The program may not work any more; Logback ERROR with {@link #CRITICAL_MARKER}. */
  CRITICAL(Level.ERROR);

  /** Marks an ERROR event as CRITICAL: {@code log.error(LogLevel.CRITICAL_MARKER, "...")}. */
  public static final Marker CRITICAL_MARKER = MarkerFactory.getMarker("CRITICAL");

  private final Level logback;

  LogLevel(Level logback) {
    this.logback = logback;
  }

  /** The Logback level events of this level are logged at. */
  public Level logback() {
    return logback;
  }

  /** Whether {@code other} is this level or more severe. */
  public boolean admits(LogLevel other) {
    return other.ordinal() >= ordinal();
  }

  /**
   * Parses a level name as Python writes it, case-insensitively; {@code warn} is accepted
   * for WARNING.
   *
   * @throws IllegalArgumentException naming the value and the allowed names
   */
  public static LogLevel parse(String text) {
    return find(text).orElseThrow(() -> new IllegalArgumentException("unknown log level '" + text
        + "'; allowed: trace, debug, info, warning (or warn), error, critical"));
  }

  /** Like {@link #parse} but empty for an unknown or null name. */
  public static Optional<LogLevel> find(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toUpperCase(Locale.ROOT);
    if (t.equals("WARN")) {
      return Optional.of(WARNING);
    }
    for (LogLevel l : values()) {
      if (l.name().equals(t)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** The level of a Logback event (WARN is WARNING; ERROR with the critical marker is CRITICAL). */
  public static LogLevel of(ILoggingEvent event) {
    int level = event.getLevel().toInt();
    if (level >= Level.ERROR_INT) {
      return isCritical(event) ? CRITICAL : ERROR;
    }
    if (level >= Level.WARN_INT) {
      return WARNING;
    }
    if (level >= Level.INFO_INT) {
      return INFO;
    }
    return level >= Level.DEBUG_INT ? DEBUG : TRACE;
  }

  private static boolean isCritical(ILoggingEvent event) {
    var markers = event.getMarkerList();
    if (markers == null) {
      return false;
    }
    for (Marker m : markers) {
      if (m.contains(CRITICAL_MARKER)) {
        return true;
      }
    }
    return false;
  }
}
