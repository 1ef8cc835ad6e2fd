package dev.vigil.monitor.trend;

import dev.vigil.monitor.history.HistoryPoint;
import dev.vigil.monitor.host.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fits a least-squares line through a metric's history (the mean of each step against its time) and
 * forecasts when it crosses a threshold: {@code crossing = now + (threshold - fitted(now)) / slope},
 * when the slope points towards the threshold and the crossing is within {@link #HORIZON}.
 */
public final class TrendAnalyzer {
  /** Crossings further away than this are not forecast. */
  public static final Duration HORIZON = Duration.ofDays(365);
  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  private TrendAnalyzer() {
  }

  /**
   * The trend of {@code metric} from {@code points} (oldest first) as seen at {@code now}.
   *
   * @param window the window the points cover (reported back)
   * @param threshold the value to forecast the crossing of, or null for the slope alone
   */
  public static Trend analyze(String metric, List<HistoryPoint> points, Instant now, Duration window, Double threshold) {
    Metric m = Metric.of(metric);
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      x[i] = (points.get(i).time().toEpochMilli() - now.toEpochMilli()) / MILLIS_PER_HOUR;
      y[i] = points.get(i).avg();
    }
    Optional<LinearFit> fit = LinearFit.of(x, y);
    if (fit.isEmpty()) {
      return new Trend(metric, window.toSeconds(), points.size(), null, null, null, threshold, null,
          m.label() + ": not enough history for a trend yet");
    }
    LinearFit f = fit.get();
    double current = f.intercept();
    double slope = f.slope();
    Instant crossing = null;
    String message;
    if (threshold == null) {
      message = m.label() + " is " + direction(slope, m);
    } else if (current >= threshold) {
      message = m.label() + " is at or above " + number(threshold) + m.unit() + " already";
    } else if (slope <= 0) {
      message = m.label() + " is not rising towards " + number(threshold) + m.unit() + " (" + direction(slope, m) + ")";
    } else {
      double hours = (threshold - current) / slope;
      long millis = Math.round(hours * MILLIS_PER_HOUR);
      if (millis > HORIZON.toMillis()) {
        message = m.label() + " does not reach " + number(threshold) + m.unit() + " within a year";
      } else {
        crossing = now.plusMillis(millis);
        message = m.label() + " reaches " + number(threshold) + m.unit() + " in " + humanize(Duration.ofMillis(millis));
      }
    }
    return new Trend(metric, window.toSeconds(), points.size(), round(slope, 4), round(current, 2), round(f.r2(), 3),
        threshold, crossing, message);
  }

  /** "about 40 minutes", "about 5 hours", "about 3 days". */
  public static String humanize(Duration d) {
    double minutes = d.toMillis() / 60_000.0;
    if (minutes < 90) {
      return "about " + Math.max(1, Math.round(minutes)) + plural(Math.max(1, Math.round(minutes)), " minute");
    }
    double hours = minutes / 60;
    if (hours < 48) {
      return "about " + Math.round(hours) + plural(Math.round(hours), " hour");
    }
    long days = Math.round(hours / 24);
    return "about " + days + plural(days, " day");
  }

  private static String direction(double slope, Metric m) {
    if (slope == 0) {
      return "steady";
    }
    return (slope > 0 ? "rising by " : "falling by ") + number(Math.abs(slope)) + m.unit() + " per hour";
  }

  private static String plural(long n, String word) {
    return n == 1 ? word : word + "s";
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
  }

  private static Double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
