package dev.vigil.server.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.core.config.ValueParser;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.apm.LatencyStats;
import dev.vigil.monitor.apm.PerformanceReport;
import dev.vigil.monitor.host.Metric;
import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.process.ProcessOrder;
import dev.vigil.monitor.trend.Trend;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Page;
import dev.vigil.server.http.Params;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/monitoring/*}: host health, metrics, summary and top processes in their published
 * shapes (SPEC §2), history, trends, anomalies and application performance. All readable by viewers. When
 * monitoring is disabled the feature seam answers {@code 409 not_enabled} under {@code /api/monitoring}.
 */
final class MonitoringApi {
  /** Most processes one listing returns. */
  public static final int MAX_TOP = 100;
  private static final ValueParser<Duration> STEP = ValueParser.duration(Duration.ofSeconds(1), Duration.ofDays(365));
  private static final ValueParser<Duration> WINDOW = ValueParser.duration(Duration.ofMinutes(1), Duration.ofDays(365));
  private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  private static final Duration DEFAULT_ANOMALY_RANGE = Duration.ofDays(1);
  private static final int MAX_POINTS_BY_DEFAULT = 360;
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private MonitoringApi() {
  }

  /** The top processes ({@code GET /api/monitoring/processes}). */
  public record Processes(@JsonProperty("processes") List<ProcessInfo> processes, @JsonProperty("sort") String sort) {
  }

  /** The trends of every watched metric ({@code GET /api/monitoring/trends}). */
  public record Trends(@JsonProperty("window_seconds") long windowSeconds, @JsonProperty("trends") List<Trend> trends) {
  }

  /** HTTP requests per route plus tracked queries and operations ({@code GET /api/monitoring/performance}). */
  public record Performance(@JsonProperty("requests") LatencyStats requests,
      @JsonProperty("routes") List<LatencyStats> routes, @JsonProperty("application") PerformanceReport application) {
  }

  /**
   * Adds the routes.
   *
   * @param monitoring the running monitoring
   * @param clock the time that default ranges end at
   */
  static void register(Api api, ServerMonitoring monitoring, Clock clock) {
    api.get("/api/monitoring/health", Role.VIEWER,
        "Health (healthy|warning|critical) of CPU, RAM and disk with a sentence per breached threshold",
        ctx -> Json.respond(ctx, monitoring.monitor().healthStatus()));
    api.get("/api/monitoring/metrics", Role.VIEWER,
        "Current host metrics: CPU, load, RAM, swap, file systems, disk and network I/O, processes, uptime",
        ctx -> Json.respond(ctx, monitoring.monitor().currentMetrics()));
    api.get("/api/monitoring/summary", Role.VIEWER,
        "Average, min, max and current CPU, RAM and disk over the last N readings (?last=1..ring size, default 60)",
        ctx -> {
          SystemMonitor m = monitoring.monitor();
          int capacity = m.ringCapacity();
          int last = Params.intParam(ctx, "last", 1, capacity, Math.min(60, capacity));
          Json.respond(ctx, m.metricsSummary(last));
        });
    api.get("/api/monitoring/processes", Role.VIEWER,
        "Top processes (?top=1..100, default 10; ?sort=cpu|memory, default cpu)", ctx -> {
          SystemMonitor m = monitoring.monitor();
          int top = Params.intParam(ctx, "top", 1, MAX_TOP, 10);
          String sort = Params.textParam(ctx, "sort", "(?i)cpu|memory", "cpu or memory", "cpu");
          ProcessOrder order = ProcessOrder.parse(sort);
          Json.respond(ctx, new Processes(m.processMetrics(top, order), order.name().toLowerCase(Locale.ROOT)));
        });
    api.get("/api/monitoring/history", Role.VIEWER,
        "History of one metric (?metric=cpu_percent|...|disk_percent:<mount>&from=&to=&step=): raw ring, "
            + "1-minute or 1-hour roll-ups by step and range", ctx -> {
          SystemMonitor m = monitoring.monitor();
          String metric = metric(ctx);
          Instant to = instant(ctx, "to", clock.instant());
          Instant from = instant(ctx, "from", to.minus(DEFAULT_RANGE));
          if (!from.isBefore(to)) {
            throw ApiException.badParameter("from", "before 'to' (" + to + ")");
          }
          Duration fallback = Duration.ofSeconds(
              Math.max(1, Duration.between(from, to).toSeconds() / MAX_POINTS_BY_DEFAULT));
          Duration step = duration(ctx, "step", STEP, fallback);
          try {
            Json.respond(ctx, m.history(metric, from, to, step));
          } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_parameter", e.getMessage());
          }
        });
    api.get("/api/monitoring/trends", Role.VIEWER,
        "Least-squares slope per hour of CPU, RAM, swap and each file system over ?window= (default 1h) "
            + "with the forecast crossing of the warning threshold", ctx -> {
          SystemMonitor m = monitoring.monitor();
          Duration window = duration(ctx, "window", WINDOW, DEFAULT_RANGE);
          Json.respond(ctx, new Trends(window.toSeconds(), m.trends(window)));
        });
    api.get("/api/monitoring/anomalies", Role.VIEWER,
        "Flagged anomalies (time, metric, value, score), oldest first (?from=&to= default the last day, "
            + "?metric=, limit/cursor pagination)", ctx -> {
          SystemMonitor m = monitoring.monitor();
          Instant to = instant(ctx, "to", clock.instant());
          Instant from = instant(ctx, "from", to.minus(DEFAULT_ANOMALY_RANGE));
          if (!from.isBefore(to)) {
            throw ApiException.badParameter("from", "before 'to' (" + to + ")");
          }
          String metric = ctx.queryParam("metric") == null || ctx.queryParam("metric").isEmpty() ? null : metric(ctx);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("from", from.toString());
          body.put("to", to.toString());
          Json.respond(ctx, Page.of(ctx, m.anomalies(from, to, metric)).into(body, "anomalies"));
        });
    api.get("/api/monitoring/performance", Role.VIEWER,
        "HTTP requests per route (count, errors, p50/p95/p99) and tracked queries and operations", ctx -> {
          Json.respond(ctx, new Performance(monitoring.requests().total(), monitoring.requests().routes(),
              monitoring.performance().report()));
        });
  }

  private static String metric(Context ctx) {
    String metric = ctx.queryParam("metric");
    if (metric == null || metric.isEmpty()) {
      return Metric.CPU_PERCENT;
    }
    if (metric.length() > 300 || !Metric.isKnown(metric)) {
      throw ApiException.badParameter("metric", "one of " + String.join(", ", Metric.fixedNames()) + " or "
          + Metric.DISK_MOUNT_PREFIX + "<mount>");
    }
    return metric;
  }

  /** An instant parameter within 1970–9999 (beyond that, millisecond arithmetic would overflow). */
  private static Instant instant(Context ctx, String name, Instant fallback) {
    Instant at = Params.instantParam(ctx, name, fallback);
    if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
      throw ApiException.badParameter(name, "an instant from " + EARLIEST + " to " + LATEST);
    }
    return at;
  }

  private static Duration duration(Context ctx, String name, ValueParser<Duration> parser, Duration fallback) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    return parser.parse(text).orElseThrow(() -> ApiException.badParameter(name, parser.allowed()));
  }
}
