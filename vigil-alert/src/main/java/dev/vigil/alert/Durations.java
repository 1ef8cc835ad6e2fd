package dev.vigil.alert;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus-style durations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 4h}, {@code 1d}, {@code 1w}, or combined {@code 1h30m}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

  private Durations() {
  }

  /**
   * Parses a duration.
   *
   * @param setting the setting's name, for the error
   */
  public static Duration parse(String text, String setting) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(setting + " must be a duration like 30s, 5m or 4h, got nothing");
    }
    String t = text.strip();
    Matcher m = PART.matcher(t);
    Duration d = Duration.ZERO;
    int at = 0;
    while (m.find() && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      });
      at = m.end();
    }
    if (at != t.length() || at == 0) {
      throw new IllegalArgumentException(setting + " must be a duration like 30s, 5m or 4h, got " + text);
    }
    return d;
  }

  /** Formats as Prometheus does ({@code 1h30m}, {@code 30s}, {@code 0s}). */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long ms = d.toMillis();
    long[] units = {7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] names = {"w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (ms >= units[i]) {
        sb.append(ms / units[i]).append(names[i]);
        ms %= units[i];
      }
    }
    return sb.toString();
  }
}
