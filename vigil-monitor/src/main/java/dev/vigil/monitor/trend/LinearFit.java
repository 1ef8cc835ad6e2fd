package dev.vigil.monitor.trend;

import java.util.Optional;

/**
 * An ordinary least-squares line {@code y = intercept + slope * x}.
 *
 * @param slope change of y per unit of x
 * @param intercept y at x = 0
 * @param r2 coefficient of determination (1 = all points on the line; 0 for a flat series)
 * @param n number of points fitted
 */
public record LinearFit(double slope, double intercept, double r2, int n) {

  /** Fits {@code y} against {@code x}; empty with fewer than three points or when all x are equal. */
  public static Optional<LinearFit> of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
    }
    int n = x.length;
    if (n < 3) {
      return Optional.empty();
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
    if (sxx == 0) {
      return Optional.empty();
    }
    double slope = sxy / sxx;
    double r2 = syy == 0 ? 0 : (sxy * sxy) / (sxx * syy);
    return Optional.of(new LinearFit(slope, my - slope * mx, r2, n));
  }

  /** The fitted y at {@code x}. */
  public double at(double x) {
    return intercept + slope * x;
  }
}
