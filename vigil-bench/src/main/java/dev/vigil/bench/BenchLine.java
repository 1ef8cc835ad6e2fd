package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one output format of every benchmark:
 * {@code BENCH <suite>.<case> vigil=<v><unit> baseline=<v><unit> ratio=<x> [key=value ...]},
 * where {@code ratio > 1} means Vigil is better whichever way the unit points.
 */
public final class BenchLine {
  private BenchLine() {
  }

  /** Whether a larger value of the unit is better (throughput) or worse (latency, bytes, CPU). */
  public enum Better { HIGHER, LOWER }

  /**
   * Formats one line.
   *
   * @param name {@code suite.case}
   * @param vigil Vigil's figure
   * @param baseline the baseline's figure, measured in the same run
   * @param unit unit suffix, e.g. {@code req/s}, {@code ms}, {@code MB}
   * @param better which direction is better
   * @param extras further {@code key=value} pairs, printed in order
   */
  public static String format(String name, double vigil, double baseline, String unit, Better better,
      Map<String, ?> extras) {
    double ratio = better == Better.HIGHER ? vigil / baseline : baseline / vigil;
    StringBuilder sb = new StringBuilder("BENCH ").append(name)
        .append(" vigil=").append(num(vigil)).append(unit)
        .append(" baseline=").append(num(baseline)).append(unit)
        .append(" ratio=").append(Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f", ratio) : "n/a");
    extras.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v instanceof Double d ? num(d) : v));
    return sb.toString();
  }

  /** Prints one line to standard output. */
  public static void print(String name, double vigil, double baseline, String unit, Better better,
      Map<String, ?> extras) {
    System.out.println(format(name, vigil, baseline, unit, better, extras));
  }

  /**
   * Prints one line from the command line, for shell-driven suites:
   * {@code BenchLine <suite.case> <vigil> <baseline> <unit> higher|lower [key=value ...]}.
   */
  public static void main(String[] args) {
    if (args.length < 5) {
      throw new IllegalArgumentException("usage: BenchLine <suite.case> <vigil> <baseline> <unit> higher|lower [k=v ...]");
    }
    Map<String, String> extras = new LinkedHashMap<>();
    for (int i = 5; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      extras.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    print(args[0], Double.parseDouble(args[1]), Double.parseDouble(args[2]), args[3],
        Better.valueOf(args[4].toUpperCase(Locale.ROOT)), extras);
  }

  private static String num(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
