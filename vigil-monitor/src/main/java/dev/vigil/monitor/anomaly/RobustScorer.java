package dev.vigil.monitor.anomaly;

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
  // the window of normal readings, oldest first from start, as a ring of primitive doubles
  private final double[] window;
  private int start;
  private int size;
  // reused for the median and MAD: each reading scores without allocating
  private final double[] scratch;
  private final double[] excursion;
  private int excursionSize;
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
    this.window = new double[options.window()];
    this.scratch = new double[options.window()];
    this.excursion = new double[options.confirm()];
  }

  Result observe(double x) {
    if (size < options.warmup()) {
      push(x);
      return new Result(Double.NaN, x, false);
    }
    for (int i = 0; i < size; i++) {
      scratch[i] = window[(start + i) % window.length];
    }
    double median = median(scratch, size);
    for (int i = 0; i < size; i++) {
      scratch[i] = Math.abs(scratch[i] - median);
    }
    double sigma = Math.max(MAD_TO_SIGMA * median(scratch, size), floor);
    double score = (x - median) / sigma;
    if (Math.abs(score) <= options.bound()) {
      excursionSize = 0;
      excursionSign = 0;
      push(x);
      return new Result(score, median, false);
    }
    int sign = score > 0 ? 1 : -1;
    boolean starts = excursionSize == 0 || sign != excursionSign;
    if (starts) {
      excursionSize = 0;
      excursionSign = sign;
    }
    excursion[excursionSize++] = x;
    if (excursionSize >= options.confirm()) {
      System.arraycopy(excursion, 0, scratch, 0, excursionSize);
      double jump = median(scratch, excursionSize) - median;
      for (int i = 0; i < size; i++) {
        window[(start + i) % window.length] += jump;
      }
      for (int i = 0; i < excursionSize; i++) {
        push(excursion[i]);
      }
      excursionSize = 0;
      excursionSign = 0;
    }
    return new Result(score, median, starts);
  }

  /** Appends a reading, dropping the oldest once the window is full. */
  private void push(double x) {
    if (size < window.length) {
      window[(start + size) % window.length] = x;
      size++;
    } else {
      window[start] = x;
      start = (start + 1) % window.length;
    }
  }

  /** The median of the first {@code n} of {@code values}, which it reorders (selection, no full sort). */
  static double median(double[] values, int n) {
    if (n % 2 == 1) {
      return select(values, n, n / 2);
    }
    double upper = select(values, n, n / 2);
    // after selecting index k, everything before k is at most values[k]: the lower middle is their maximum
    double lower = values[0];
    for (int i = 1; i < n / 2; i++) {
      lower = Math.max(lower, values[i]);
    }
    return (lower + upper) / 2;
  }

  /** The k-th smallest of the first {@code n} values (Hoare's selection), leaving smaller ones before it. */
  private static double select(double[] v, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      double pivot = v[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (v[i] < pivot) {
          i++;
        }
        while (v[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = v[i];
          v[i] = v[j];
          v[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return v[k];
      }
    }
    return v[k];
  }
}
