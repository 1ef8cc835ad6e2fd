package dev.vigil.logging.text;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The one timestamp format of every record: ISO-8601 with milliseconds and a numeric offset. */
public final class Timestamps {
  private Timestamps() {
  }

  /** {@link DateTimeFormatter} pattern, e.g. {@code 2026-11-24T11:30:00.123+00:00}. */
  public static final String PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSxxx";

  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern(PATTERN);

  /** Formats {@code instant} in {@code zone}. */
  public static String format(Instant instant, ZoneId zone) {
    return FORMAT.format(instant.atZone(zone));
  }
}
