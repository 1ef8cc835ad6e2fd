package dev.vigil.server.metrics;

import dev.vigil.server.http.HttpServer;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Vigil's Micrometer registry in Prometheus format: JVM meters, HTTP request timers per route (a
 * histogram with {@link #LATENCY_BUCKETS}), and whatever the feature modules bind. Prometheus naming
 * follows from Micrometer's (base units, {@code _total} counters, {@code _seconds} timers), with the
 * few names {@code promtool check metrics} rejects renamed by {@link PrometheusNames}.
 */
public final class Metrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final ConcurrentHashMap<TimerKey, Timer> requestTimers = new ConcurrentHashMap<>();

  /**
   * Bucket boundaries of {@code http_server_requests_seconds}: fixed, so a request costs one bucket
   * increment (no percentile computed per request) and {@code histogram_quantile} brackets the
   * 200 ms p95 target.
   */
  public static final List<Duration> LATENCY_BUCKETS = Stream.of(5, 10, 25, 50, 100, 200, 500, 1000, 2000, 5000)
      .map(Duration::ofMillis).toList();
  private static final Duration[] BUCKETS = LATENCY_BUCKETS.toArray(Duration[]::new);

  /** Creates the registry with JVM, process and uptime meters bound. */
  public Metrics() {
    PrometheusNames.applyTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    PrometheusNames.bindProcessCpuSeconds(registry);
  }

  /** The registry, for modules to bind their meters to. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** Records one answered request under its route pattern, method and status. */
  public void recordRequest(Context ctx, float millis) {
    String method = ctx.method().name();
    String route = HttpServer.route(ctx);
    int status = ctx.statusCode();
    requestTimers.computeIfAbsent(new TimerKey(method, route, status), k -> Timer.builder("http.server.requests")
        .description("HTTP requests answered by Vigil")
        .tag("method", k.method())
        .tag("route", k.route())
        .tag("status", Integer.toString(k.status()))
        .publishPercentileHistogram(false)
        .serviceLevelObjectives(BUCKETS)
        .register(registry))
        .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
  }

  /** The tags of one request timer, so a hot route finds its timer without building tags again. */
  private record TimerKey(String method, String route, int status) {
  }

  /** Stops the GC listener. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
