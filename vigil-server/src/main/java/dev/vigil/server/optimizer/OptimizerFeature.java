package dev.vigil.server.optimizer;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.checkpoint.RecoveryCheckpoints;
import dev.vigil.cache.CacheManager;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.monitor.SystemMonitor;
import dev.vigil.monitor.process.ProcessOrder;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import dev.vigil.optimizer.OptimizerHooks;
import dev.vigil.optimizer.OptimizerOptions;
import dev.vigil.optimizer.Tuning;
import dev.vigil.optimizer.memory.CacheBudgetTuning;
import dev.vigil.optimizer.memory.LeakWatch;
import dev.vigil.optimizer.response.ProxyCacheTuning;
import dev.vigil.optimizer.response.RouteQueriesTuning;
import dev.vigil.optimizer.response.ShapeSeriesSource;
import dev.vigil.proxy.AppProxy;
import dev.vigil.server.audit.Actor;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optimization engine as a server feature: the tunings the running features allow (memory
 * budgets and leak trends from the monitor; more as their sources run), a scheduled run at
 * {@code optimizer.level}, measurement of applied changes every minute, {@code /api/optimizer/*}.
 */
public final class OptimizerFeature implements Feature {
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
    tunings.addAll(responseTunings(context));
    Optimizer optimizer = new Optimizer(options, tunings, hooks(context, monitor), context.store());
    tunings.stream().filter(ProxyCacheTuning.class::isInstance).forEach(t -> ((ProxyCacheTuning) t).restore(
        optimizer.history(1000)));
    OptimizerService service = context.closeOnStop(new OptimizerService(optimizer, leaks, config.get(SCHEDULE),
        context.clock()));
    service.start();
    context.provide(Optimizer.class, optimizer);
    context.health(name(), () -> Health.up(optimizer.observing().size() + " change(s) under observation"));
    OptimizerApi.register(context.routes(), service);
  }

  /**
   * Response-time tunings when the application proxy runs: cache rules for its slow, stable routes, and
   * links from slow routes to query shapes when a {@link ShapeSeriesSource} is provided.
   */
  private static List<Tuning> responseTunings(ServerContext context) {
    AppProxy proxy = context.find(AppProxy.class).orElse(null);
    if (proxy == null) {
      return List.of();
    }
    List<Tuning> out = new ArrayList<>(List.of(ProxyCacheTuning.defaults(proxy, context.clock())));
    context.find(ShapeSeriesSource.class).ifPresent(s -> out.add(RouteQueriesTuning.defaults(proxy, s,
        context.clock())));
    return out;
  }

  private static OptimizerHooks hooks(ServerContext context, SystemMonitor monitor) {
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
        return monitor != null && monitor.latest().map(s -> s.metrics().cpuPercent()
            >= monitor.thresholds().cpu().warning()).orElse(false);
      }
    };
  }

  private static Level level(String text) {
    try {
      return Level.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
