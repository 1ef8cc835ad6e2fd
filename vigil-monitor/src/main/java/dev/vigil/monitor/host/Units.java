package dev.vigil.monitor.host;

/** Conversions shared by the metric records: bytes to GiB and rounding for display. */
public final class Units {
  /** Bytes in one GiB: the seed's {@code *_gb} fields are binary gigabytes, as psutil reports them. */
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

  /** Rounds to two decimals. */
  public static double round2(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
