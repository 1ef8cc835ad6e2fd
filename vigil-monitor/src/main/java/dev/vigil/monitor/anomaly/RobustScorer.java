package dev.vigil.monitor.anomaly;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The robust anomaly score of one series: the distance of a reading from the median of the recent
 * normal readings, in units of their spread estimated by the median absolute deviation
 * ({@code sigma = 1.4826 * MAD}, the normal-consistent scale), never below the series' noise floor:
 * {@code score = (x - median) / max(1.4826 * MAD, floor)}. Median and MAD ignore the outliers
 * themselves, which is why they are preferred to mean and standard deviation here.
 *
 * <p>A reading beyond the bound is flagged once per excursion: consecutive readings beyond it on the
 * same side are one event. Flagged readings stay out of the window. When an excursion lasts
 * {@code confirm} readings it is a level shift, not a spike: the window moves by the jump in median so
 * that the new level is normal from then on while the spread learned so far is kept. Not thread-safe.
 */
final class RobustScorer {
  private static final double MAD_TO_SIGMA = 1.4826;

  private final AnomalyOptions options;
  private final double floor;
  private final ArrayDeque<Double> window = new ArrayDeque<>();
  private final List<Double> excursion = new ArrayList<>();
  private int excursionSign;

  /**
   * The outcome of one reading.
   *
   * @param score the robust score, NaN while warming up
   * @param median the median of the window the reading was compared with
   * @param flagged whether this reading starts an anomaly
   */
  record Result(double score, double median, boolean flagged) {
    /** Whether the reading is beyond the bound (the first or a later reading of an excursion). */
    boolean beyond(double bound) {
      return Math.abs(score) > bound;
    }
  }

  RobustScorer(AnomalyOptions options, double floor) {
    this.options = options;
    this.floor = floor;
  }

  Result observe(double x) {
    if (window.size() < options.warmup()) {
      window.addLast(x);
      return new Result(Double.NaN, x, false);
    }
    double[] values = window.stream().mapToDouble(Double::doubleValue).toArray();
    double median = median(values);
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.abs(values[i] - median);
    }
    double sigma = Math.max(MAD_TO_SIGMA * median(values), floor);
    double score = (x - median) / sigma;
    if (Math.abs(score) <= options.bound()) {
      excursion.clear();
      excursionSign = 0;
      push(x);
      return new Result(score, median, false);
    }
    int sign = score > 0 ? 1 : -1;
    boolean starts = excursion.isEmpty() || sign != excursionSign;
    if (starts) {
      excursion.clear();
      excursionSign = sign;
    }
    excursion.add(x);
    if (excursion.size() >= options.confirm()) {
      double jump = median(excursion.stream().mapToDouble(Double::doubleValue).toArray()) - median;
      int n = window.size();
      for (int i = 0; i < n; i++) {
        window.addLast(window.removeFirst() + jump);
      }
      excursion.forEach(this::push);
      excursion.clear();
      excursionSign = 0;
    }
    return new Result(score, median, starts);
  }

  private void push(double x) {
    window.addLast(x);
    while (window.size() > options.window()) {
      window.removeFirst();
    }
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
