package dev.vigil.optimizer;

import java.util.Arrays;

/**
 * The Mann-Whitney U test: whether values of one sample tend to be larger than those of another,
 * without assuming a distribution (latencies are skewed and heavy-tailed). Uses the normal
 * approximation with tie and continuity corrections, fine from about 8 values per sample.
 */
final class MannWhitney {
  private MannWhitney() {
  }

  /**
   * One-sided p-value of the hypothesis that values of {@code b} tend to be larger than those of
   * {@code a}: small when {@code b} is clearly larger.
   *
   * @throws IllegalArgumentException when a sample is empty
   */
  static double pGreater(double[] a, double[] b) {
    if (a.length == 0 || b.length == 0) {
      throw new IllegalArgumentException("both samples need values: " + a.length + " and " + b.length);
    }
    int n1 = a.length;
    int n2 = b.length;
    int n = n1 + n2;
    double[][] all = new double[n][2];
    for (int i = 0; i < n1; i++) {
      all[i][0] = a[i];
      all[i][1] = 0;
    }
    for (int i = 0; i < n2; i++) {
      all[n1 + i][0] = b[i];
      all[n1 + i][1] = 1;
    }
    Arrays.sort(all, (x, y) -> Double.compare(x[0], y[0]));
    double rankSumB = 0;
    double tieTerm = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && all[j + 1][0] == all[i][0]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      int ties = j - i + 1;
      tieTerm += (double) ties * ties * ties - ties;
      for (int k = i; k <= j; k++) {
        if (all[k][1] == 1) {
          rankSumB += rank;
        }
      }
      i = j + 1;
    }
    double u = rankSumB - n2 * (n2 + 1) / 2.0;
    double mean = n1 * (double) n2 / 2.0;
    double variance = n1 * (double) n2 / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
    if (variance <= 0) {
      return 0.5;
    }
    double z = (u - mean - 0.5) / Math.sqrt(variance);
    return 1 - normalCdf(z);
  }

  /** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1e-7). */
  static double normalCdf(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592)
        * t * Math.exp(-x * x);
    return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }

  /** The median of {@code values} (not modified); {@code NaN} when empty. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
