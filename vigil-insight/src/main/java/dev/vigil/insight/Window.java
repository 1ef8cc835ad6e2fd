package dev.vigil.insight;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time window ending now, for query-shape statistics: {@code 15m}, {@code 1h}, {@code 24h},
 * {@code 7d}. The statistics are sums of the deltas between snapshots that ended inside the window.
 *
 * @param length how far back the window reaches
 */
public record Window(Duration length) {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,6})\\s*(s|m|min|h|d)");
  /** The longest window (the default retention of snapshots is shorter anyway). */
  public static final Duration MAX = Duration.ofDays(400);

  /** Validates the length. */
  public Window {
    if (length == null || length.isNegative() || length.isZero() || length.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("window must be between 1 s and 400 d, not " + length);
    }
  }

  /** The last {@code length} of time. */
  public static Window last(Duration length) {
    return new Window(length);
  }

  /**
   * Parses {@code <n>s|m|h|d} (e.g. {@code 1h}); blank means one hour.
   *
   * @throws IllegalArgumentException naming the accepted form
   */
  public static Window parse(String text) {
    if (text == null || text.isBlank()) {
      return new Window(Duration.ofHours(1));
    }
    Matcher m = TEXT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("window must look like 15m, 1h, 24h or 7d, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    return new Window(d);
  }
}
