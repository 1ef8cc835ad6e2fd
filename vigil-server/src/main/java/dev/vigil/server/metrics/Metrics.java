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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Vigil's Micrometer registry in Prometheus format: JVM meters, HTTP request timers per route, and
 * whatever the feature modules bind. Prometheus naming follows from Micrometer's (base units,
 * {@code _total} counters, {@code _seconds} timers).
 */
public final class Metrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final ConcurrentHashMap<TimerKey, Timer> requestTimers = new ConcurrentHashMap<>();

  /** Creates the registry with JVM, process and uptime meters bound. */
  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
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
