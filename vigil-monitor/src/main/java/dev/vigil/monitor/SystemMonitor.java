package dev.vigil.monitor;

import dev.vigil.core.store.StateStore;
import dev.vigil.monitor.anomaly.Anomaly;
import dev.vigil.monitor.anomaly.AnomalyDetector;
import dev.vigil.monitor.anomaly.AnomalyLog;
import dev.vigil.monitor.anomaly.AnomalyOptions;
import dev.vigil.monitor.health.HealthStatus;
import dev.vigil.monitor.health.Thresholds;
import dev.vigil.monitor.history.History;
import dev.vigil.monitor.history.MetricHistory;
import dev.vigil.monitor.history.MetricsSummary;
import dev.vigil.monitor.history.SampleRing;
import dev.vigil.monitor.host.FileSystemUsage;
import dev.vigil.monitor.host.HostMetrics;
import dev.vigil.monitor.host.Metric;
import dev.vigil.monitor.host.MetricSource;
import dev.vigil.monitor.host.OshiMetricSource;
import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.monitor.process.ProcessOrder;
import dev.vigil.monitor.trend.Trend;
import dev.vigil.monitor.trend.TrendAnalyzer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the host ({@code SystemMonitor}): current metrics, top processes, health against
 * thresholds, a summary of the last readings, history with persisted roll-ups, trends and anomalies,
 * and background sampling on a named daemon thread that tells listeners about every sample.
 *
 * <pre>{@code
 * try (SystemMonitor monitor = new SystemMonitor(Thresholds.warningAt(80, 85, 90))) {
 *   HostMetrics now = monitor.currentMetrics();
 *   List<ProcessInfo> top = monitor.processMetrics(10);
 *   HealthStatus health = monitor.healthStatus();
 *   monitor.start(Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * <p>Readings come from a {@link MetricSource}: OSHI by default. Every reading, sampled or taken on
 * demand, goes to the in-memory ring (default one hour), the roll-ups (when a state store is given)
 * and the anomaly detector. Thread-safe.
 */
public final class SystemMonitor implements AutoCloseable {
  /** The sampling interval assumed for the ring's capacity before {@link #start} (the config default). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  /** How far back the in-memory ring reaches by default. */
  public static final Duration DEFAULT_HISTORY = Duration.ofHours(1);
  /** Shortest sampling interval. */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  /** The name of the sampling thread. */
  public static final String THREAD_NAME = "vigil-monitor-sampler";
  private static final int MAX_RING = 86_400;
  private static final int ANOMALIES_IN_MEMORY = 1000;
  private static final Duration ON_DEMAND_FRESHNESS = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(SystemMonitor.class);

  private final MetricSource source;
  private final boolean ownsSource;
  private final Clock clock;
  private final Thresholds thresholds;
  private final MetricHistory history;
  private final AnomalyDetector detector;
  private final AnomalyLog anomalyLog;
  private final List<SampleListener> listeners = new CopyOnWriteArrayList<>();
  private final Object sampleLock = new Object();
  private volatile Sample latest;
  private volatile Duration interval = DEFAULT_INTERVAL;
  private ScheduledExecutorService scheduler;
  private volatile boolean running;
  private boolean closed;

  /** A monitor of this host through OSHI with {@code thresholds}, history in memory only. */
  public SystemMonitor(Thresholds thresholds) {
    this(builder().thresholds(thresholds));
  }

  private SystemMonitor(Builder b) {
    this.clock = b.clock;
    this.thresholds = b.thresholds;
    this.ownsSource = b.source == null;
    this.source = b.source != null ? b.source : new OshiMetricSource();
    String host = b.host != null ? b.host : localHostName();
    int capacity = (int) Math.min(MAX_RING, Math.max(1, b.history.toMillis() / MIN_INTERVAL.toMillis()));
    try {
      this.history = new MetricHistory(new SampleRing(b.history, capacity), b.store, host, clock);
      this.detector = new AnomalyDetector(b.anomalyOptions);
      this.anomalyLog = new AnomalyLog(b.store, host, ANOMALIES_IN_MEMORY);
    } catch (RuntimeException e) {
      if (ownsSource) {
        source.close();
      }
      throw e;
    }
  }

  /** A builder for a monitor with a chosen source, clock, store, history span or anomaly settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The current reading: the newest sample when it is younger than the sampling interval (or, when not
   * sampling in the background, younger than a second), else a new reading.
   */
  public HostMetrics currentMetrics() {
    synchronized (sampleLock) {
      Sample s = latest;
      if (s != null && isFresh(s)) {
        return s.metrics();
      }
      return sampleNow().metrics();
    }
  }

  /** The {@code topN} processes using the most CPU (% of one CPU; see {@link ProcessInfo}). */
  public List<ProcessInfo> processMetrics(int topN) {
    return processMetrics(topN, ProcessOrder.CPU);
  }

  /**
   * The {@code topN} processes using the most CPU or memory.
   *
   * @throws IllegalArgumentException when {@code topN < 1}
   */
  public List<ProcessInfo> processMetrics(int topN, ProcessOrder order) {
    if (topN < 1) {
      throw new IllegalArgumentException("top must be at least 1, not " + topN);
    }
    return source.topProcesses(topN, Objects.requireNonNull(order, "order"));
  }

  /** The health of the current reading (see {@link #currentMetrics()} for how current). */
  public HealthStatus healthStatus() {
    synchronized (sampleLock) {
      Sample s = latest;
      if (s != null && isFresh(s)) {
        return s.health();
      }
      return sampleNow().health();
    }
  }

  /**
   * Average, minimum, maximum and current CPU, RAM and disk over the last {@code lastN} readings (fewer
   * while the ring fills; a reading is taken when there is none yet).
   *
   * @throws IllegalArgumentException when {@code lastN} is outside 1..{@link #ringCapacity()}
   */
  public MetricsSummary metricsSummary(int lastN) {
    int capacity = ringCapacity();
    if (lastN < 1 || lastN > capacity) {
      throw new IllegalArgumentException("last must be between 1 and " + capacity + " (the readings in "
          + history.ring().span() + " at one per " + interval + "), not " + lastN);
    }
    List<HostMetrics> samples = history.ring().last(lastN);
    if (samples.isEmpty()) {
      sampleNow();
      samples = history.ring().last(lastN);
    }
    return MetricsSummary.of(samples);
  }

  /** How many readings the ring holds at the current sampling interval: its span divided by the interval. */
  public int ringCapacity() {
    return (int) Math.max(1, Math.min(MAX_RING, history.ring().span().toMillis() / interval.toMillis()));
  }

  /**
   * Takes one reading now and records it (ring, roll-ups, anomaly detector), then tells the listeners.
   * The background sampler calls this on every tick.
   */
  public Sample sampleNow() {
    synchronized (sampleLock) {
      HostMetrics m = source.read(clock.instant().truncatedTo(ChronoUnit.MILLIS));
      HealthStatus health = thresholds.evaluate(m);
      List<Anomaly> found = detector.observe(m.timestamp(), m.values());
      history.record(m);
      anomalyLog.add(found);
      Sample s = new Sample(m, health, found);
      latest = s;
      for (SampleListener l : listeners) {
        try {
          l.onSample(s);
        } catch (RuntimeException e) {
          LOG.warn("sample listener {} failed on the sample of {}", l.getClass().getName(), m.timestamp(), e);
        }
      }
      return s;
    }
  }

  /** The newest sample, if any was taken. */
  public Optional<Sample> latest() {
    return Optional.ofNullable(latest);
  }

  /**
   * Starts sampling every {@code every} on the daemon thread {@value #THREAD_NAME}; the first sample is
   * taken at once.
   *
   * @throws IllegalArgumentException for an interval under 100 ms or over an hour
   * @throws IllegalStateException when already sampling or closed
   */
  public synchronized void start(Duration every) {
    Objects.requireNonNull(every, "interval");
    if (every.compareTo(MIN_INTERVAL) < 0 || every.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("monitoring interval must be between 100 ms and 1 hour, not " + every);
    }
    if (closed) {
      throw new IllegalStateException("this monitor is closed");
    }
    if (scheduler != null) {
      throw new IllegalStateException("monitoring is already running every " + interval + "; stop() it first");
    }
    interval = every;
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, THREAD_NAME);
      t.setDaemon(true);
      return t;
    });
    running = true;
    scheduler.scheduleAtFixedRate(this::sampleLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops background sampling, waiting for a sample in progress; does nothing when not running. */
  public synchronized void stop() {
    if (scheduler == null) {
      return;
    }
    running = false;
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        scheduler.shutdownNow();
        LOG.warn("the monitoring thread did not finish its sample within 10 s and was interrupted");
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      scheduler = null;
    }
  }

  /** Whether background sampling is running. */
  public boolean isRunning() {
    return running;
  }

  /** The sampling interval (the default until {@link #start} sets one). */
  public Duration interval() {
    return interval;
  }

  /** The thresholds health is judged by. */
  public Thresholds thresholds() {
    return thresholds;
  }

  /** Adds a listener told about every new sample. */
  public void addListener(SampleListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener; does nothing if it was not added. */
  public void removeListener(SampleListener listener) {
    listeners.remove(listener);
  }

  /**
   * The history of {@code metric} (a {@link Metric} name) in {@code [from, to)} at {@code step}, from the
   * tier the step and range call for (see {@link MetricHistory}).
   *
   * @throws IllegalArgumentException naming the bad parameter
   */
  public History history(String metric, Instant from, Instant to, Duration step) {
    return history.query(metric, from, to, step);
  }

  /**
   * The trends over {@code window} of CPU, RAM, swap and every file system, with the crossing of the
   * warning threshold forecast for CPU, RAM and each file system.
   *
   * @throws IllegalArgumentException for a window under a minute or over a year
   */
  public List<Trend> trends(Duration window) {
    List<Trend> out = new ArrayList<>();
    out.add(trend(Metric.CPU_PERCENT, window, thresholds.cpu().warning()));
    out.add(trend(Metric.RAM_PERCENT, window, thresholds.ram().warning()));
    out.add(trend(Metric.SWAP_PERCENT, window, null));
    HostMetrics now = latest != null ? latest.metrics() : currentMetrics();
    for (FileSystemUsage d : now.disks()) {
      out.add(trend(Metric.diskOf(d.mount()), window, thresholds.disk().warning()));
    }
    return out;
  }

  /**
   * The trend of one metric over {@code window}, forecasting when it crosses {@code threshold} (null for
   * the slope alone).
   *
   * @throws IllegalArgumentException for an unknown metric or a window under a minute or over a year
   */
  public Trend trend(String metric, Duration window, Double threshold) {
    Objects.requireNonNull(window, "window");
    if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException("trend window must be between 1 minute and 365 days, not " + window);
    }
    Instant now = clock.instant();
    Duration step = Duration.ofMillis(Math.max(1000, window.toMillis() / 360));
    History h = history.query(metric, now.minus(window), now.plusMillis(1), step);
    return TrendAnalyzer.analyze(metric, h.points(), now, window, threshold);
  }

  /**
   * The anomalies flagged in {@code [from, to)}, of {@code metric} only when not null, oldest first.
   *
   * @throws IllegalArgumentException when {@code from} is not before {@code to} or the metric is unknown
   */
  public List<Anomaly> anomalies(Instant from, Instant to, String metric) {
    if (metric != null) {
      Metric.of(metric);
    }
    return anomalyLog.list(from, to, metric);
  }

  /** The anomaly detector (its options and latest scores). */
  public AnomalyDetector anomalyDetector() {
    return detector;
  }

  /** Stops sampling, writes the roll-up minute in progress to the store, and closes an OSHI source it opened. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    stop();
    try {
      history.close();
    } finally {
      if (ownsSource) {
        source.close();
      }
    }
  }

  private boolean isFresh(Sample s) {
    Duration freshness = isRunning() ? interval : ON_DEMAND_FRESHNESS;
    return Duration.between(s.metrics().timestamp(), clock.instant()).compareTo(freshness) < 0;
  }

  private void sampleLogged() {
    try {
      sampleNow();
    } catch (RuntimeException e) {
      LOG.error("sampling the host failed; trying again in {}", interval, e);
    }
  }

  /** The kernel's host name on Linux (no DNS lookup), else what {@link InetAddress} resolves, else "localhost". */
  private static String localHostName() {
    Path kernel = Path.of("/proc/sys/kernel/hostname");
    try {
      if (Files.isReadable(kernel)) {
        String name = Files.readString(kernel).trim();
        if (!name.isEmpty()) {
          return name;
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      LOG.info("cannot find the local host name ({}); monitor history is stored under 'localhost'", e.toString());
      return "localhost";
    }
  }

  /** Builds a {@link SystemMonitor}. */
  public static final class Builder {
    private Thresholds thresholds = Thresholds.defaults();
    private MetricSource source;
    private Clock clock = Clock.systemUTC();
    private Duration history = DEFAULT_HISTORY;
    private StateStore store;
    private String host;
    private AnomalyOptions anomalyOptions = AnomalyOptions.defaults();

    private Builder() {
    }

    /** Health thresholds (default: {@link Thresholds#defaults()}). */
    public Builder thresholds(Thresholds t) {
      this.thresholds = Objects.requireNonNull(t, "thresholds");
      return this;
    }

    /** Where readings come from (default: this host through OSHI). The monitor does not close a given source. */
    public Builder source(MetricSource s) {
      this.source = Objects.requireNonNull(s, "source");
      return this;
    }

    /** The clock that stamps readings (default: system UTC). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /**
     * How far back the in-memory ring reaches (default one hour).
     *
     * @throws IllegalArgumentException when not between one minute and one day
     */
    public Builder history(Duration span) {
      Objects.requireNonNull(span, "history");
      if (span.compareTo(Duration.ofMinutes(1)) < 0 || span.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("in-memory history must be between 1 minute and 1 day, not " + span);
      }
      this.history = span;
      return this;
    }

    /** The state store roll-ups and anomalies are persisted in (default: none, memory only). */
    public Builder store(StateStore s) {
      this.store = Objects.requireNonNull(s, "store");
      return this;
    }

    /** The name this host's rows carry in a shared store (default: the local host name). */
    public Builder host(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("host name must not be empty");
      }
      this.host = name;
      return this;
    }

    /** Anomaly detector settings (default: {@link AnomalyOptions#defaults()}). */
    public Builder anomalies(AnomalyOptions options) {
      this.anomalyOptions = Objects.requireNonNull(options, "anomaly options");
      return this;
    }

    /** Builds the monitor (opening OSHI unless a source was given). */
    public SystemMonitor build() {
      return new SystemMonitor(this);
    }
  }
}
