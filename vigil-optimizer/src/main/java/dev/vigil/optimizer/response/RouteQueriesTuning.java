package dev.vigil.optimizer.response;

import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Finding;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Proposal;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.RouteSample;
import dev.vigil.proxy.RouteStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Links each slow application route to the query shapes it waits on: the time the route's sampled calls
 * took per step is correlated (Pearson) with the time each query shape took per step, over the steps in
 * which the route ran; shapes that move with it closely are named in a finding for people
 * ({@link Level#LOW}): nothing is applied.
 */
public final class RouteQueriesTuning implements Finding {
  /** The tuning's name. */
  public static final String NAME = "response.route_queries";
  /** How far back route and shape series are read, by default. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  /** Length of one step of the series, by default (insight's default snapshot interval). */
  public static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
  /** Weakest correlation reported, by default. */
  public static final double DEFAULT_MIN_CORRELATION = 0.8;
  /** Fewest steps with calls of the route before correlating. */
  public static final int MIN_STEPS = 6;
  /** Most shapes named per route. */
  public static final int MAX_SHAPES = 3;

  private final AppProxy proxy;
  private final ShapeSeriesSource shapes;
  private final Clock clock;
  private final Duration window;
  private final Duration step;
  private final int minCalls;
  private final double slowP95Ms;
  private final double minCorrelation;

  /**
   * A link finder over a running proxy and a source of query-shape series.
   *
   * @param minCalls fewest sampled calls of a route in the window
   * @param slowP95Ms p95 (ms) from which a route is slow
   * @throws IllegalArgumentException for a window shorter than {@value #MIN_STEPS} steps, a non-positive
   *     count or threshold, or a correlation outside (0, 1]
   */
  public RouteQueriesTuning(AppProxy proxy, ShapeSeriesSource shapes, Clock clock, Duration window, Duration step,
      int minCalls, double slowP95Ms, double minCorrelation) {
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.shapes = Objects.requireNonNull(shapes, "shapes");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (window == null || step == null || step.isNegative() || step.isZero()
        || window.compareTo(step.multipliedBy(MIN_STEPS)) < 0 || minCalls < 1 || !(slowP95Ms > 0)
        || !(minCorrelation > 0 && minCorrelation <= 1)) {
      throw new IllegalArgumentException("route-query links need a window of at least " + MIN_STEPS + " steps, a "
          + "positive call count and p95 threshold, and a correlation in (0, 1]; got " + window + ", " + step + ", "
          + minCalls + ", " + slowP95Ms + ", " + minCorrelation);
    }
    this.window = window;
    this.step = step;
    this.minCalls = minCalls;
    this.slowP95Ms = slowP95Ms;
    this.minCorrelation = minCorrelation;
  }

  /** A link finder with the default window, step and thresholds. */
  public static RouteQueriesTuning defaults(AppProxy proxy, ShapeSeriesSource shapes, Clock clock) {
    return new RouteQueriesTuning(proxy, shapes, clock, DEFAULT_WINDOW, DEFAULT_STEP,
        ProxyCacheTuning.DEFAULT_MIN_CALLS, ProxyCacheTuning.DEFAULT_SLOW_P95_MS, DEFAULT_MIN_CORRELATION);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Family family() {
    return Family.RESPONSE_TIME;
  }

  @Override
  public List<Proposal> propose() throws Exception {
    Instant to = clock.instant();
    Instant from = to.minus(window);
    int steps = (int) (window.toMillis() / step.toMillis());
    List<Proposal> out = new ArrayList<>();
    List<ShapeSeries> series = null;
    for (RouteStats r : proxy.routes()) {
      if (!r.route().startsWith("/")) {
        continue;
      }
      List<RouteSample> samples = proxy.samples(r.route(), from, to).stream().filter(s -> !s.fromCache()).toList();
      double p95 = RouteFigures.p95(samples.stream().mapToDouble(RouteSample::ms).toArray());
      if (samples.size() < minCalls || p95 < slowP95Ms) {
        continue;
      }
      double[] routeTime = new double[steps];
      boolean[] ran = new boolean[steps];
      for (RouteSample s : samples) {
        int i = index(from, s.at(), steps);
        if (i >= 0) {
          routeTime[i] += s.ms();
          ran[i] = true;
        }
      }
      if (count(ran) < MIN_STEPS) {
        continue;
      }
      if (series == null) {
        series = shapes.series(from, to);
      }
      List<Map<String, Object>> linked = new ArrayList<>();
      for (ShapeSeries shape : series) {
        double[] shapeTime = new double[steps];
        for (ShapeSeries.Point p : shape.points()) {
          int i = index(from, p.at().minusMillis(1), steps);
          if (i >= 0) {
            shapeTime[i] += p.totalMs();
          }
        }
        double corr = pearson(routeTime, shapeTime, ran);
        if (corr >= minCorrelation) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("database", shape.database());
          m.put("shape_id", shape.shapeId());
          m.put("query", shape.query().length() > 300 ? shape.query().substring(0, 300) + "…" : shape.query());
          m.put("correlation", Math.round(corr * 1000) / 1000.0);
          linked.add(m);
        }
      }
      if (linked.isEmpty()) {
        continue;
      }
      linked.sort(Comparator.comparingDouble((Map<String, Object> m) -> (Double) m.get("correlation")).reversed());
      List<Map<String, Object>> top = List.copyOf(linked.subList(0, Math.min(MAX_SHAPES, linked.size())));
      StringBuilder reason = new StringBuilder(String.format(Locale.ROOT,
          "p95 %.0f ms over %d sampled calls; its time per %d s moves with %d query shape(s): ", p95, samples.size(),
          step.toSeconds(), top.size()));
      for (int i = 0; i < top.size(); i++) {
        Map<String, Object> m = top.get(i);
        reason.append(i == 0 ? "" : "; ").append(m.get("database")).append(": ").append(abbreviate((String) m.get(
            "query"))).append(" (r=").append(m.get("correlation")).append(')');
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("route", r.route());
      details.put("p95_ms", p95);
      details.put("shapes", top);
      out.add(new Proposal("response:route_queries:" + r.route(), Family.RESPONSE_TIME, "link_route_queries", Level.LOW,
          r.route(), reason.toString(), "time of the route and of its query shapes per step (ms)", details));
    }
    return out;
  }

  private int index(Instant from, Instant at, int steps) {
    long i = Duration.between(from, at).toMillis() / step.toMillis();
    return at.isBefore(from) || i >= steps ? -1 : (int) i;
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }

  /** Pearson's r of two series over the steps marked, NaN when either does not vary. */
  static double pearson(double[] a, double[] b, boolean[] use) {
    double n = 0;
    double sa = 0;
    double sb = 0;
    for (int i = 0; i < a.length; i++) {
      if (use[i]) {
        n++;
        sa += a[i];
        sb += b[i];
      }
    }
    double ma = sa / n;
    double mb = sb / n;
    double cov = 0;
    double va = 0;
    double vb = 0;
    for (int i = 0; i < a.length; i++) {
      if (use[i]) {
        cov += (a[i] - ma) * (b[i] - mb);
        va += (a[i] - ma) * (a[i] - ma);
        vb += (b[i] - mb) * (b[i] - mb);
      }
    }
    return va == 0 || vb == 0 ? Double.NaN : cov / Math.sqrt(va * vb);
  }

  private static String abbreviate(String query) {
    String q = query.replaceAll("\\s+", " ").trim();
    return q.length() > 120 ? q.substring(0, 120) + "…" : q;
  }

  @Override
  public String what() {
    return "a route-to-query link";
  }
}
