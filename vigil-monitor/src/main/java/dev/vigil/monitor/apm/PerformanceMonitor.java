package dev.vigil.monitor.apm;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's own timings ({@code PerformanceMonitor}, slow-query and
 * slow-operation logging): {@link #trackQuery} and {@link #trackOperation} record a duration per query
 * shape or operation name; one slower than its threshold (500 ms / 1 s by default) is logged as a
 * warning with its duration. {@link #report()} gives count, errors, mean and the p50/p95/p99 of the
 * recent window per name. Queries are tracked and logged by their {@link SqlShape}, never with their
 * values. Thread-safe.
 *
 * <p>As a {@link MeterBinder} it exports totals only (calls and slow calls per kind), never one series per
 * query: {@code vigil_apm_queries_total}, {@code vigil_apm_slow_queries_total},
 * {@code vigil_apm_operations_total}, {@code vigil_apm_slow_operations_total}.
 */
public final class PerformanceMonitor implements MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(PerformanceMonitor.class);

  private final ApmOptions options;
  private final Recorders queries;
  private final Recorders operations;

  /** A monitor with the default thresholds (500 ms queries, 1 s operations). */
  public PerformanceMonitor() {
    this(ApmOptions.defaults());
  }

  /** A monitor with {@code options}. */
  public PerformanceMonitor(ApmOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    Clock clock = MicrometerClock.of(options.clock());
    this.queries = new Recorders(clock, options.window(), options.maxNames());
    this.operations = new Recorders(clock, options.window(), options.maxNames());
  }

  /** The settings in use. */
  public ApmOptions options() {
    return options;
  }

  /**
   * Records a query that took {@code duration}.
   *
   * @throws IllegalArgumentException for an empty query or a negative duration
   */
  public void trackQuery(String sql, Duration duration) {
    trackQuery(sql, duration, false);
  }

  /** Records a query that took {@code duration} and failed when {@code failed}. */
  public void trackQuery(String sql, Duration duration, boolean failed) {
    checkDuration(duration);
    String shape = SqlShape.of(sql);
    boolean slow = duration.compareTo(options.slowQuery()) > 0;
    queries.of(shape).record(duration.toNanos(), failed, slow);
    if (slow) {
      LOG.atWarn().addKeyValue("duration_ms", duration.toMillis()).addKeyValue("threshold_ms", options.slowQuery().toMillis())
          .addKeyValue("query", shape)
          .log("slow query took {} ms (threshold {} ms): {}", duration.toMillis(), options.slowQuery().toMillis(), shape);
    }
  }

  /**
   * Records an operation that took {@code duration}.
   *
   * @throws IllegalArgumentException for an empty name or a negative duration
   */
  public void trackOperation(String name, Duration duration) {
    trackOperation(name, duration, false);
  }

  /** Records an operation that took {@code duration} and failed when {@code failed}. */
  public void trackOperation(String name, Duration duration, boolean failed) {
    checkDuration(duration);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("operation name must not be empty");
    }
    boolean slow = duration.compareTo(options.slowOperation()) > 0;
    operations.of(name).record(duration.toNanos(), failed, slow);
    if (slow) {
      LOG.atWarn().addKeyValue("duration_ms", duration.toMillis())
          .addKeyValue("threshold_ms", options.slowOperation().toMillis()).addKeyValue("operation", name)
          .log("slow operation {} took {} ms (threshold {} ms)", name, duration.toMillis(), options.slowOperation().toMillis());
    }
  }

  /**
   * Runs {@code work}, tracking it as operation {@code name} (failed when it throws), and returns its result.
   *
   * @throws Exception whatever {@code work} throws, unchanged
   */
  public <T> T timeOperation(String name, Callable<T> work) throws Exception {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      T result = work.call();
      failed = false;
      return result;
    } finally {
      trackOperation(name, Duration.ofNanos(System.nanoTime() - start), failed);
    }
  }

  /** Every query shape and operation, most total time first. */
  public PerformanceReport report() {
    return new PerformanceReport(options.slowQuery().toMillis(), options.slowOperation().toMillis(), queries.snapshots(),
        operations.snapshots());
  }

  /** The statistics of one query (given as SQL text, matched by its shape). */
  public Optional<LatencyStats> query(String sql) {
    return queries.find(SqlShape.of(sql));
  }

  /** The statistics of one operation. */
  public Optional<LatencyStats> operation(String name) {
    return operations.find(name);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("vigil.apm.queries", queries, Recorders::count)
        .description("application queries tracked").register(registry);
    FunctionCounter.builder("vigil.apm.slow.queries", queries, Recorders::slow)
        .description("application queries slower than the slow-query threshold").register(registry);
    FunctionCounter.builder("vigil.apm.operations", operations, Recorders::count)
        .description("application operations tracked").register(registry);
    FunctionCounter.builder("vigil.apm.slow.operations", operations, Recorders::slow)
        .description("application operations slower than the slow-operation threshold").register(registry);
  }

  private static void checkDuration(Duration d) {
    Objects.requireNonNull(d, "duration");
    if (d.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + d);
    }
  }
}
