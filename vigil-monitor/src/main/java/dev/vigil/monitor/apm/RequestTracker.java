package dev.vigil.monitor.apm;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts and times the HTTP requests a server handles, per route: count, errors (status 500 and up),
 * slow requests, error rate and p50/p95/p99 over the recent window, plus the same for all routes
 * together. Framework-neutral: the server calls {@link #record} from its after-request hook with the
 * route template (e.g. {@code /api/backup/delete/{filename}}), never the raw path, so that the number of
 * routes stays bounded. Thread-safe.
 */
public final class RequestTracker {
  /** The name the totals over all routes are kept under. */
  public static final String ALL = "*";

  private final ApmOptions options;
  private final Recorders routes;
  private final LatencyRecorder all;

  /** A tracker with the default window and slow threshold. */
  public RequestTracker() {
    this(ApmOptions.defaults());
  }

  /** A tracker with {@code options} (window, slow request threshold, name cap, clock). */
  public RequestTracker(ApmOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    Clock clock = MicrometerClock.of(options.clock());
    this.routes = new Recorders(clock, options.window(), options.maxNames());
    this.all = new LatencyRecorder(ALL, clock, options.window());
  }

  /**
   * Records one request.
   *
   * @param method the HTTP method, e.g. {@code GET}
   * @param route the route template that matched, e.g. {@code /api/monitoring/health}
   * @param status the response status
   * @param duration how long it took
   * @throws IllegalArgumentException for an empty method or route, a status outside 100–599 or a
   *     negative duration
   */
  public void record(String method, String route, int status, Duration duration) {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("HTTP method must not be empty");
    }
    if (route == null || route.isBlank()) {
      throw new IllegalArgumentException("route must not be empty");
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be between 100 and 599, not " + status);
    }
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    boolean failed = status >= 500;
    boolean slow = duration.compareTo(options.slowRequest()) > 0;
    long nanos = duration.toNanos();
    routes.of(key(method, route)).record(nanos, failed, slow);
    all.record(nanos, failed, slow);
  }

  /** Every route ({@code "GET /api/x"}), most total time first. */
  public List<LatencyStats> routes() {
    return routes.snapshots();
  }

  /** One route. */
  public Optional<LatencyStats> route(String method, String route) {
    return routes.find(key(method, route));
  }

  /** All requests together. */
  public LatencyStats total() {
    return all.snapshot();
  }

  private static String key(String method, String route) {
    return method.trim().toUpperCase(Locale.ROOT) + " " + route.trim();
  }
}
