package dev.vigil.insight;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots every database on one named daemon thread ({@value #THREAD_NAME}) at the settings'
 * interval, and publishes meters per database: collection time and its share of the interval
 * ({@code vigil.insight.collection.overhead}, kept at most 1 % by reading only two statistics views
 * per snapshot), shapes per snapshot, slow shapes, cache hit ratio, connections, blocked sessions,
 * wraparound distance. A failing database is logged once per distinct error, never with a stack trace,
 * and does not stop the others.
 */
public final class InsightScheduler implements AutoCloseable {
  /** The name of the snapshot thread. */
  public static final String THREAD_NAME = "vigil-insight-snapshots";
  private static final Logger LOG = LoggerFactory.getLogger(InsightScheduler.class);
  /** The share of the interval one collection may take. */
  public static final double BUDGET = 0.01;
  private final List<DatabaseInsight> databases;
  private final Duration interval;
  private final MeterRegistry meters;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private ScheduledExecutorService executor;
  private boolean closed;

  /** Per-database last readings the gauges show. */
  private static final class State {
    volatile double overhead;
    volatile double slowShapes;
    volatile double cacheHit = Double.NaN;
    volatile double connections = Double.NaN;
    volatile double blocked = Double.NaN;
    volatile double wraparound = Double.NaN;
    volatile double up;
    volatile String lastError;
    volatile boolean overBudget;
    Timer timer;
    Counter failures;
  }

  /**
   * Over {@code databases}, every {@code interval}, metering into {@code meters}. Snapshot times come
   * from each database's own {@link java.time.Clock}.
   */
  public InsightScheduler(List<DatabaseInsight> databases, Duration interval, MeterRegistry meters) {
    this.databases = List.copyOf(databases);
    this.interval = Objects.requireNonNull(interval, "interval");
    this.meters = Objects.requireNonNull(meters, "meters");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("insight snapshot interval must be at least 1 s, not " + interval);
    }
    for (DatabaseInsight db : this.databases) {
      State s = new State();
      states.put(db.name(), s);
      Tags tags = Tags.of("database", db.name());
      s.timer = Timer.builder("vigil.insight.collection").description("time one snapshot spent on the database")
          .tags(tags).register(meters);
      s.failures = Counter.builder("vigil.insight.collection.failures").description("snapshots that failed")
          .tags(tags).register(meters);
      Gauge.builder("vigil.insight.collection.overhead", s, x -> x.overhead)
          .description("share of the interval the last snapshot spent on the database").tags(tags).register(meters);
      Gauge.builder("vigil.insight.up", s, x -> x.up).description("1 when the last collection succeeded")
          .tags(tags).register(meters);
      Gauge.builder("vigil.insight.slow.shapes", s, x -> x.slowShapes)
          .description("shapes at or above the slow-query threshold in the last interval").tags(tags).register(meters);
      Gauge.builder("vigil.insight.cache.hit.ratio", s, x -> x.cacheHit)
          .description("share of table and index reads served from the database's cache").tags(tags).register(meters);
      Gauge.builder("vigil.insight.connections", s, x -> x.connections).description("open connections to the database")
          .tags(tags).register(meters);
      Gauge.builder("vigil.insight.blocked.sessions", s, x -> x.blocked).description("sessions waiting on another's lock")
          .tags(tags).register(meters);
      Gauge.builder("vigil.insight.wraparound.remaining", s, x -> x.wraparound)
          .description("transaction ids left before wraparound protection").tags(tags).register(meters);
    }
  }

  /** Starts snapshotting (the first run at once). */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("this insight scheduler is closed");
    }
    if (executor != null) {
      throw new IllegalStateException("the insight scheduler is already running");
    }
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, THREAD_NAME);
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Snapshots every database once, now, on the calling thread. */
  public void runOnce() {
    for (DatabaseInsight db : databases) {
      State s = states.get(db.name());
      long start = System.nanoTime();
      try {
        DatabaseInsight.Snapshot snap = db.snapshot();
        Activity a = db.activity();
        long nanos = System.nanoTime() - start;
        s.timer.record(nanos, TimeUnit.NANOSECONDS);
        s.overhead = nanos / (double) interval.toNanos();
        if (s.overhead > BUDGET && !s.overBudget) {
          LOG.warn("insight collection on database '{}' took {} ms, {}% of the {} s interval (budget 1%): raise "
                  + "insight.interval", db.name(), nanos / 1_000_000, Math.round(s.overhead * 1000) / 10.0,
              interval.toSeconds());
        }
        s.overBudget = s.overhead > BUDGET;
        s.slowShapes = snap.slowShapes().size();
        s.cacheHit = a.cacheHitRatio() < 0 ? Double.NaN : a.cacheHitRatio();
        s.connections = a.connections();
        s.blocked = a.blocking().stream().mapToInt(b -> b.waiting().size()).sum();
        s.wraparound = a.wraparoundRemaining() < 0 ? Double.NaN : a.wraparoundRemaining();
        s.up = 1;
        if (s.lastError != null) {
          LOG.info("insight on database '{}' works again", db.name());
          s.lastError = null;
        }
      } catch (RuntimeException e) {
        s.failures.increment();
        s.up = 0;
        String m = e.getMessage();
        if (!Objects.equals(m, s.lastError)) {
          LOG.warn("insight snapshot of database '{}' failed: {}", db.name(), m);
          s.lastError = m;
        }
      }
    }
  }

  /** The last error of {@code database}'s collection, or {@code null} when it works. */
  public String lastError(String database) {
    State s = states.get(database);
    return s == null ? null : s.lastError;
  }

  /** Stops the thread, waiting for a snapshot in progress. */
  @Override
  public synchronized void close() {
    closed = true;
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor = null;
  }
}
