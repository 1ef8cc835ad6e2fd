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
 *
 * <p>A trend is only stated from enough data: at least {@link #MIN_POINTS} points spanning at least
 * {@link #MIN_SPAN}; otherwise the answer says "not enough data". A direction or forecast also needs a
 * line that fits ({@code r2} at least {@link #MIN_R2}); a poor fit is reported as "no clear trend" with
 * its {@code r2}, and a series that hardly moves as "steady".
 */
public final class TrendAnalyzer {
  /** Crossings further away than this are not forecast. */
  public static final Duration HORIZON = Duration.ofDays(365);
  /** Fewest history points a trend is fitted through. */
  public static final int MIN_POINTS = 10;
  /** Shortest time the points must span (first to last). */
  public static final Duration MIN_SPAN = Duration.ofMinutes(10);
  /** Lowest fit quality (coefficient of determination) a direction or forecast is stated from. */
  public static final double MIN_R2 = 0.6;
  /** A fitted change over the span smaller than this (in the metric's unit) is "steady". */
  public static final double STEADY_CHANGE = 0.5;
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
    Duration span = points.size() < 2 ? Duration.ZERO
        : Duration.between(points.get(0).time(), points.get(points.size() - 1).time());
    Optional<LinearFit> fit = points.size() >= MIN_POINTS && span.compareTo(MIN_SPAN) >= 0
        ? LinearFit.of(x, y) : Optional.empty();
    if (fit.isEmpty()) {
      return new Trend(metric, window.toSeconds(), points.size(), null, null, null, threshold, null,
          m.label() + ": not enough data for a trend (" + points.size() + " points over " + humanSpan(span)
              + "; a trend needs " + MIN_POINTS + " points over " + MIN_SPAN.toMinutes() + " minutes)");
    }
    LinearFit f = fit.get();
    double current = f.intercept();
    double slope = f.slope();
    Instant crossing = null;
    String message;
    double change = Math.abs(slope) * span.toMillis() / MILLIS_PER_HOUR;
    if (threshold != null && current >= threshold && f.r2() >= MIN_R2) {
      message = m.label() + " is at or above " + number(threshold) + m.unit() + " already";
    } else if (change < STEADY_CHANGE) {
      message = m.label() + " is steady";
    } else if (f.r2() < MIN_R2) {
      message = m.label() + ": no clear trend (the line fits poorly, r² = " + String.format(Locale.ROOT, "%.2f", f.r2())
          + "; a trend needs at least " + MIN_R2 + ")";
    } else if (threshold == null) {
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

  private static String humanSpan(Duration span) {
    long seconds = span.toSeconds();
    return seconds < 120 ? seconds + plural(seconds, " second") : humanize(span).substring("about ".length());
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
