package dev.vigil.server.optimizer;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.checkpoint.RecoveryCheckpoints;
import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.cache.CacheManager;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.monitor.SampleListener;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.history.HistoryPoint;
import dev.vigil.monitor.host.Metric;
import dev.vigil.monitor.process.ProcessOrder;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.OptimizerHooks;
import dev.vigil.optimizer.OptimizerOptions;
import dev.vigil.optimizer.Tuning;
import dev.vigil.optimizer.database.DatabaseTunings;
import dev.vigil.optimizer.database.IndexTuning;
import dev.vigil.optimizer.cache.L1SizeTuning;
import dev.vigil.optimizer.cache.TtlTuning;
import dev.vigil.optimizer.cache.WarmingTuning;
import dev.vigil.optimizer.cpu.CompressionTuning;
import dev.vigil.optimizer.cpu.JobPriorityTuning;
import dev.vigil.optimizer.cpu.QuietWindows;
import dev.vigil.optimizer.cpu.RunawayWatch;
import dev.vigil.optimizer.cpu.SchedulerWait;
import dev.vigil.optimizer.memory.CacheBudgetTuning;
import dev.vigil.optimizer.memory.LeakWatch;
import dev.vigil.optimizer.response.ProxyCacheTuning;
import dev.vigil.optimizer.response.RouteQueriesTuning;
import dev.vigil.optimizer.response.InsightShapeSeries;
import dev.vigil.proxy.AppProxy;
import dev.vigil.server.audit.Actor;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.backup.BackupSettings;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import dev.vigil.server.insight.InsightDatabases;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimization engine as a server feature: the tunings the running features allow (memory
 * budgets and leak trends from the monitor; index, ANALYZE, VACUUM and index-drop tunings for each
 * database insight watches; more as their sources run), a scheduled run at
 * {@code optimizer.level}, measurement of applied changes every minute, {@code /api/optimizer/*}.
 */
public final class OptimizerFeature implements Feature {
  private static final Logger LOG = LoggerFactory.getLogger(OptimizerFeature.class);
  /** What scheduled runs apply without asking. */
  static final Setting<Level> LEVEL = Setting.of("optimizer.level", ValueParser.of(
      "low, medium, high or aggressive", OptimizerFeature::level), OptimizerOptions.DEFAULT_LEVEL.label(),
      "what scheduled optimizer runs apply without asking: low (report only), medium, high, aggressive");
  /** When scheduled runs happen. */
  static final Setting<String> SCHEDULE = Setting.of("optimizer.schedule", ValueParser.matching("\\S+( \\S+){4}",
      "a five-field Unix cron expression such as '0 3 * * 0'"), OptimizerService.DEFAULT_SCHEDULE,
      "when the optimizer runs (Unix cron; default weekly, Sunday 03:00)");
  /** Baseline window before a change. */
  static final Setting<Duration> BASELINE = Setting.of("optimizer.baseline", ValueParser.duration(
      Duration.ofMinutes(1), Duration.ofDays(7)), OptimizerOptions.DEFAULT_BASELINE.toMinutes() + "m",
      "how far before a change its baseline reaches");
  /** Longest observation of a change. */
  static final Setting<Duration> OBSERVATION = Setting.of("optimizer.observation", ValueParser.duration(
      Duration.ofMinutes(1), Duration.ofDays(7)), OptimizerOptions.DEFAULT_OBSERVATION.toMinutes() + "m",
      "longest a change is observed before it must have shown a gain");

  /** RAM use above which Vigil's own cache is shrunk. */
  static final Setting<Double> MEMORY_PRESSURE = Setting.of("optimizer.memory_pressure", ValueParser.decimal(1, 100),
      Double.toString(CacheBudgetTuning.DEFAULT_PRESSURE_PERCENT),
      "RAM % above which the optimizer proposes shrinking Vigil's own cache");

  @Override
  public String name() {
    return "optimizer";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(LEVEL, SCHEDULE, BASELINE, OBSERVATION, MEMORY_PRESSURE);
  }

  @Override
  public void start(ServerContext context) {
    VigilConfig config = context.config();
    OptimizerOptions options = OptimizerOptions.defaults().withLevel(config.get(LEVEL)).withClock(context.clock())
        .withWindows(config.get(BASELINE), config.get(OBSERVATION));
    List<Tuning> tunings = new ArrayList<>();
    SystemMonitor monitor = context.find(SystemMonitor.class).orElse(null);
    LeakWatch leaks = null;
    if (monitor != null) {
      leaks = new LeakWatch(() -> monitor.processMetrics(20, ProcessOrder.MEMORY), context.clock(),
          LeakWatch.DEFAULT_WINDOW, LeakWatch.DEFAULT_MIN_MB_PER_HOUR, LeakWatch.DEFAULT_MIN_R2);
      tunings.add(leaks);
      CacheManager cache = context.cache();
      tunings.add(new CacheBudgetTuning(cache, () -> monitor.latest().map(s -> s.metrics().ramPercent()).orElse(0.0),
          config.get(MEMORY_PRESSURE), CacheBudgetTuning.DEFAULT_FLOOR_ENTRIES,
          new MonitorHistoryProbe(monitor, "ram_percent", "host RAM use (%)"), List.of()));
    }
    tunings.addAll(databaseTunings(context));
    tunings.addAll(cacheAndCpuTunings(context, monitor));
    tunings.addAll(responseTunings(context));
    Optimizer optimizer = new Optimizer(options, tunings, hooks(context, monitor, tunings), context.store());
    OptimizerService service = context.closeOnStop(new OptimizerService(optimizer, leaks, config.get(SCHEDULE),
        context.clock()));
    service.start();
    context.provide(Optimizer.class, optimizer);
    context.health(name(), () -> Health.up(optimizer.observing().size() + " change(s) under observation"));
    OptimizerApi.register(context.routes(), service);
  }

  /**
   * Response-time tunings when the application proxy runs: cache rules for its slow, stable routes, and
   * links from slow routes to the query shapes of the databases insight watches.
   */
  private static List<Tuning> responseTunings(ServerContext context) {
    AppProxy proxy = context.find(AppProxy.class).orElse(null);
    if (proxy == null) {
      return List.of();
    }
    List<Tuning> out = new ArrayList<>(List.of(ProxyCacheTuning.defaults(proxy, context.clock())));
    context.find(InsightDatabases.class).ifPresent(dbs -> out.add(RouteQueriesTuning.defaults(proxy,
        new InsightShapeSeries(() -> dbs.databases().values(), InsightShapeSeries.DEFAULT_MAX_SHAPES),
        context.clock())));
    return out;
  }

  /** Index, ANALYZE, VACUUM and index-drop tunings for each database insight watches. */
  private static List<Tuning> databaseTunings(ServerContext context) {
    List<Tuning> out = new ArrayList<>();
    context.find(InsightDatabases.class).ifPresent(dbs -> dbs.databases().forEach((name, insight) -> out.addAll(
        DatabaseTunings.of(insight, DatabaseUrl.parse(context.config().databases().get(name)),
            IndexTuning.DEFAULT_MAX_TABLE_BYTES))));
    return out;
  }

  /**
   * The cache family (always: the server's cache) and the CPU/I/O family: job priorities and adaptive
   * compression for the backups when they run, quiet windows and runaway processes from the monitor.
   */
  private static List<Tuning> cacheAndCpuTunings(ServerContext context, SystemMonitor monitor) {
    CacheManager cache = context.cache();
    List<Tuning> out = new ArrayList<>(List.of(
        new WarmingTuning(cache, WarmingTuning.DEFAULT_MIN_RELOADS, WarmingTuning.DEFAULT_MIN_SHARE),
        new TtlTuning(cache, TtlTuning.DEFAULT_MIN_RELOADS, TtlTuning.DEFAULT_STALE_SHARE),
        new L1SizeTuning(cache, cache.l1Capacity() * L1SizeTuning.DEFAULT_BUDGET_FACTOR, () -> monitor == null ? 0
            : monitor.latest().map(s -> s.metrics().ramPercent()).orElse(0.0),
            CacheBudgetTuning.DEFAULT_PRESSURE_PERCENT, L1SizeTuning.DEFAULT_MIN_GAIN, L1SizeTuning.DEFAULT_MIN_READS)));
    if (monitor == null) {
      return out;
    }
    BackupCatalog catalog = context.find(BackupCatalog.class).orElse(null);
    SchedulerWait wait = new SchedulerWait(ProcessHandle.current().pid(), context.clock(), Duration.ofDays(1));
    if (catalog != null && wait.available()) {
      out.add(new JobPriorityTuning(catalog.all(), wait));
    }
    RunawayWatch runaways = new RunawayWatch(() -> monitor.processMetrics(20, ProcessOrder.CPU), context.clock(),
        RunawayWatch.DEFAULT_WINDOW, RunawayWatch.DEFAULT_MIN_CPU, RunawayWatch.MIN_SPACING);
    out.add(runaways);
    boolean waitReadable = wait.available(); // asked once: it does not change while the process runs
    SampleListener sampler = sample -> {
      runaways.sample();
      if (waitReadable) {
        wait.sampleAtMostEvery(SchedulerWait.DEFAULT_SPACING);
      }
    };
    monitor.addListener(sampler);
    AutoCloseable stopSampling = () -> monitor.removeListener(sampler);
    context.closeOnStop(stopSampling);
    if (catalog != null) {
      out.add(new CompressionTuning(catalog.all(), () -> monitor.history(Metric.CPU_PERCENT, context.clock().instant()
          .minus(Duration.ofHours(1)), context.clock().instant(), Duration.ofMinutes(1)).points().stream()
          .mapToDouble(HistoryPoint::avg).average().orElse(CompressionTuning.DEFAULT_BUSY_PERCENT),
          CompressionTuning.DEFAULT_BUSY_PERCENT, CompressionTuning.DEFAULT_IDLE_PERCENT));
    }
    VigilConfig config = context.config();
    out.add(new QuietWindows((from, to) -> monitor.history(Metric.CPU_PERCENT, from, to, Duration.ofHours(1))
        .points(), () -> catalog != null && config.get(BackupSettings.BACKUP_SCHEDULER)
        ? OptionalInt.of(config.get(BackupSettings.BACKUP_HOUR)) : OptionalInt.empty(), ZoneId.systemDefault(),
        context.clock(), QuietWindows.DEFAULT_LOOKBACK));
    return out;
  }

  private static OptimizerHooks hooks(ServerContext context, SystemMonitor monitor, List<Tuning> tunings) {
    return new OptimizerHooks() {
      @Override
      public void audit(String action, String resource, String outcome, Map<String, Object> facts) {
        Object actor = facts.get("actor");
        AuditEvent event = new AuditEvent(action, resource, "success".equals(outcome) ? AuditEvent.Outcome.SUCCESS
            : AuditEvent.Outcome.FAILURE, facts);
        context.audit().record(actor == null ? Actor.job("optimizer") : new Actor(actor.toString(), null), event);
      }

      @Override
      public void checkpoint(String label) {
        BackupCatalog catalog = context.find(BackupCatalog.class).orElseThrow(() -> new IllegalStateException(
            "aggressive changes need a recovery checkpoint, and no database is configured for backups"));
        new RecoveryCheckpoints(catalog, context.clock()).createCheckpoint();
      }

      @Override
      public boolean busy() {
        return monitor != null && (monitor.latest().map(s -> s.metrics().cpuPercent()
            >= monitor.thresholds().cpu().warning()).orElse(false) || usuallyBusyNow(tunings, context));
      }
    };
  }

  /** Whether the CPU history says this hour of the week is usually busy (a quiet window it is not). */
  private static boolean usuallyBusyNow(List<Tuning> tunings, ServerContext context) {
    for (Tuning t : tunings) {
      if (t instanceof QuietWindows q) {
        try {
          return q.usuallyBusy(context.clock().instant());
        } catch (Exception e) {
          LOG.warn("optimizer: cannot read the CPU history for quiet windows: {}", e.getMessage());
        }
      }
    }
    return false;
  }

  private static Level level(String text) {
    try {
      return Level.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
