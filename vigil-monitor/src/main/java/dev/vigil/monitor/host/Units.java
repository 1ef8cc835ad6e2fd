package dev.vigil.monitor.host;

import java.util.Locale;

/** Conversions shared by the metric records: bytes to GiB and rounding for display. */
public final class Units {
  /** Bytes in one GiB: the documented {@code *_gb} fields are binary gigabytes, as psutil reports them. */
  public static final double GIB = 1024d * 1024 * 1024;
  /** Bytes in one MiB. */
  public static final double MIB = 1024d * 1024;

  private Units() {
  }

  /** {@code bytes} in GiB, rounded to two decimals. */
  public static double gib(long bytes) {
    return round2(bytes / GIB);
  }

  /** {@code part} as a percentage of {@code whole} (0 when {@code whole} is not positive), two decimals. */
  public static double percent(double part, double whole) {
    return whole > 0 ? round2(100.0 * part / whole) : 0.0;
  }

  /**
   * {@code value} with its unit as a person reads it: byte rates in B/s, KB/s, MB/s or GB/s (1024
   * based), other values with one decimal ({@code 97.2%}, {@code 340.0 ops/s}).
   */
  public static String human(double value, String unit) {
    if ("B/s".equals(unit)) {
      double abs = Math.abs(value);
      String[] units = {"B/s", "KB/s", "MB/s", "GB/s", "TB/s"};
      int i = 0;
      double v = value;
      while (abs >= 1024 && i < units.length - 1) {
        abs /= 1024;
        v /= 1024;
        i++;
      }
      return String.format(Locale.ROOT, i == 0 ? "%.0f %s" : "%.1f %s", v, units[i]);
    }
    String number = String.format(Locale.ROOT, "%.1f", value);
    if (unit.isEmpty()) {
      return number;
    }
    return "%".equals(unit) ? number + unit : number + " " + unit;
  }

  /** Rounds to two decimals. */
  public static double round2(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
