package dev.vigil.server.monitoring;

import dev.vigil.core.config.Setting;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.anomaly.AnomalyOptions;
import dev.vigil.monitor.apm.ApmOptions;
import dev.vigil.monitor.apm.PerformanceMonitor;
import dev.vigil.monitor.apm.RequestTracker;
import dev.vigil.monitor.health.Limit;
import dev.vigil.monitor.health.Thresholds;
import dev.vigil.monitor.metrics.HostMetricsBinder;
import dev.vigil.server.http.HttpServer;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Host monitoring as the server runs it: a {@link SystemMonitor} sampling at {@code monitoring.interval}
 * with {@code monitoring.history} in memory and roll-ups and anomalies persisted in the server's state
 * store, its readings bound to the Prometheus registry, and the application-performance trackers
 * (every answered HTTP request per route pattern; queries and operations other modules report).
 * {@link #close()} stops sampling and writes the roll-up minute in progress.
 */
public final class ServerMonitoring implements AutoCloseable {
  private final SystemMonitor monitor;
  private final HostMetricsBinder binder;
  private final RequestTracker requests;
  private final PerformanceMonitor performance;

  private ServerMonitoring(SystemMonitor monitor, HostMetricsBinder binder, RequestTracker requests,
      PerformanceMonitor performance) {
    this.monitor = monitor;
    this.binder = binder;
    this.requests = requests;
    this.performance = performance;
  }

  /**
   * Builds the monitor from {@code config}'s thresholds, binds its meters to {@code registry} and starts
   * sampling.
   */
  public static ServerMonitoring start(VigilConfig config, StateStore store, MeterRegistry registry, Clock clock) {
    Objects.requireNonNull(registry, "registry");
    Thresholds thresholds = new Thresholds(
        limit(config, MonitoringSettings.CPU_WARNING, MonitoringSettings.CPU_CRITICAL),
        limit(config, MonitoringSettings.RAM_WARNING, MonitoringSettings.RAM_CRITICAL),
        limit(config, MonitoringSettings.DISK_WARNING, MonitoringSettings.DISK_CRITICAL));
    ApmOptions apm = ApmOptions.defaults().withClock(clock)
        .withSlow(config.get(MonitoringSettings.SLOW_QUERY), config.get(MonitoringSettings.SLOW_OPERATION));
    SystemMonitor monitor = SystemMonitor.builder()
        .thresholds(thresholds)
        .clock(clock)
        .store(store)
        .history(config.get(MonitoringSettings.MONITORING_HISTORY))
        .anomalies(AnomalyOptions.defaults().withBound(config.get(MonitoringSettings.ANOMALY_BOUND)))
        .build();
    HostMetricsBinder binder = new HostMetricsBinder(monitor);
    try {
      binder.bindTo(registry);
      PerformanceMonitor performance = new PerformanceMonitor(apm);
      performance.bindTo(registry);
      ServerMonitoring started = new ServerMonitoring(monitor, binder, new RequestTracker(apm), performance);
      monitor.start(config.get(MonitoringSettings.MONITORING_INTERVAL));
      return started;
    } catch (RuntimeException e) {
      binder.close();
      monitor.close();
      throw e;
    }
  }

  /** The limits of one metric; {@code ConfigLoader} has already refused a warning above its critical. */
  private static Limit limit(VigilConfig config, Setting<Double> warning, Setting<Double> critical) {
    return new Limit(config.get(warning), config.get(critical));
  }

  /** Records one answered request under its method and route pattern (the server's request hook). */
  public void recordRequest(Context ctx, float millis) {
    requests.record(ctx.method().name(), HttpServer.route(ctx), ctx.statusCode(),
        Duration.ofNanos((long) (Math.max(0f, millis) * 1_000_000)));
  }

  /** The host monitor. */
  public SystemMonitor monitor() {
    return monitor;
  }

  /** The HTTP requests this server answered, per route. */
  public RequestTracker requests() {
    return requests;
  }

  /** Queries and operations tracked by the server's modules. */
  public PerformanceMonitor performance() {
    return performance;
  }

  /** Stops following samples for Prometheus, stops sampling and flushes the roll-ups. */
  @Override
  public void close() {
    try {
      binder.close();
    } finally {
      monitor.close();
    }
  }
}
