package dev.vigil.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of one config value into a typed value, or says what is allowed.
 *
 * @param <T> the typed value
 */
public interface ValueParser<T> {

  /** Parses {@code text}; returns empty when it is not allowed. */
  Optional<T> parse(String text);

  /** What is allowed, as it reads after "allowed " in an error line. */
  String allowed();

  /** An integer from {@code min} to {@code max} inclusive. */
  static ValueParser<Integer> integer(int min, int max) {
    return of("an integer from " + min + " to " + max, text -> {
      try {
        int value = Integer.parseInt(text.trim());
        return value >= min && value <= max ? value : null;
      } catch (NumberFormatException e) {
        return null;
      }
    });
  }

  /** A whole number of bytes from {@code min} up, with an optional KB/MB/GB suffix (1024 based). */
  static ValueParser<Long> bytes(long min) {
    Pattern form = Pattern.compile("(\\d+)\\s*([kmg]i?b?)?", Pattern.CASE_INSENSITIVE);
    return of("a byte count of at least " + min + " (e.g. 10485760, 512KB, 10MB)", text -> {
      Matcher m = form.matcher(text.trim());
      if (!m.matches()) {
        return null;
      }
      try {
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = unit.startsWith("k") ? 1L << 10 : unit.startsWith("m") ? 1L << 20 : unit.startsWith("g") ? 1L << 30 : 1;
        long total = Math.multiplyExact(value, factor);
        return total >= min ? total : null;
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    });
  }

  /** A number from {@code min} to {@code max} inclusive. */
  static ValueParser<Double> decimal(double min, double max) {
    return of("a number from " + trim(min) + " to " + trim(max), text -> {
      try {
        double value = Double.parseDouble(text.trim());
        return value >= min && value <= max && !Double.isNaN(value) ? value : null;
      } catch (NumberFormatException e) {
        return null;
      }
    });
  }

  /** {@code true/false}, also {@code yes/no}, {@code on/off}, {@code 1/0} (any case). */
  static ValueParser<Boolean> bool() {
    return of("true or false", text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> Boolean.TRUE;
      case "false", "no", "off", "0" -> Boolean.FALSE;
      default -> null;
    });
  }

  /**
   * A duration from {@code min} to {@code max}: a bare number of seconds ({@code 60}, as the seed's
   * MONITORING_INTERVAL) or a number with a unit {@code ms, s, m, h, d}.
   */
  static ValueParser<Duration> duration(Duration min, Duration max) {
    Pattern form = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    return of("a duration from " + min + " to " + max + " (seconds, or with a unit: 500ms, 30s, 5m, 1h, 7d)", text -> {
      Matcher m = form.matcher(text.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        return null;
      }
      try {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofSeconds(n);
        };
        return d.compareTo(min) >= 0 && d.compareTo(max) <= 0 ? d : null;
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    });
  }

  /**
   * {@code d} as {@link #duration} reads it, in the largest unit that holds it exactly ({@code 5s},
   * {@code 500ms}, {@code 5m}), so a setting's default text can be written from a library's constant.
   */
  static String durationText(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s != 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /** {@code value} as {@link #decimal} reads it, without a trailing {@code .0} ({@code 80}, {@code 4.5}). */
  static String decimalText(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** {@code bytes} as {@link #bytes} reads it, in the largest binary unit that holds it exactly ({@code 10MB}). */
  static String bytesText(long bytes) {
    String[] units = {"GB", "MB", "KB"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return Long.toString(bytes);
  }

  /** One of the given words (case-insensitive); the value is returned lower-cased. */
  static ValueParser<String> oneOf(String... words) {
    return of("one of " + String.join(", ", words), text -> {
      String lower = text.trim().toLowerCase(Locale.ROOT);
      return Arrays.asList(words).contains(lower) ? lower : null;
    });
  }

  /** Any text matching {@code pattern}, described as {@code allowed}. */
  static ValueParser<String> matching(String pattern, String allowed) {
    Pattern p = Pattern.compile(pattern);
    return of(allowed, text -> p.matcher(text).matches() ? text : null);
  }

  /** Any non-blank text, trimmed. */
  static ValueParser<String> text() {
    return of("any non-blank text", text -> text.isBlank() ? null : text.trim());
  }

  /** A parser from a function that answers {@code null} for a value it does not allow. */
  static <T> ValueParser<T> of(String allowed, java.util.function.Function<String, T> parse) {
    return new ValueParser<>() {
      @Override
      public Optional<T> parse(String text) {
        return text == null ? Optional.empty() : Optional.ofNullable(parse.apply(text));
      }

      @Override
      public String allowed() {
        return allowed;
      }
    };
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
