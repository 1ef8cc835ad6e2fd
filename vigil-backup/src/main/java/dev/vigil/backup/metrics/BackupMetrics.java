package dev.vigil.backup.metrics;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.backup.schedule.MissedRun;
import dev.vigil.backup.store.BackupRun;
import dev.vigil.backup.store.RunSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of every database in a {@link BackupCatalog}, read from the run history in the
 * state store (so they survive restarts), each tagged {@code database=<name>}:
 * <ul>
 *   <li>{@code vigil_backup_last_success_timestamp_seconds}: end of the newest successful backup</li>
 *   <li>{@code vigil_backup_last_verify_timestamp_seconds}: end of the newest finished verification</li>
 *   <li>{@code vigil_backup_last_verify_success}: 1 when that verification passed, 0 when it failed</li>
 *   <li>{@code vigil_backup_size_bytes}, {@code vigil_backup_duration_seconds}: of the newest successful backup</li>
 *   <li>{@code vigil_backup_failures_total}: backups that failed or were interrupted, ever</li>
 *   <li>{@code vigil_backup_missed_runs_total}: scheduled runs missed while no scheduler ran</li>
 * </ul>
 * A gauge with nothing to report yet (no backup, no verification) is NaN. One scrape reads the store
 * once per database: the summary is kept for {@link #SUMMARY_MAX_AGE}.
 */
public final class BackupMetrics implements MeterBinder {
  /** How long one read of the run history serves the gauges of a database. */
  public static final Duration SUMMARY_MAX_AGE = Duration.ofSeconds(1);

  private final BackupCatalog catalog;
  private final Map<String, BackupScheduler> schedulers;
  private final Clock clock;

  /**
   * Meters for every database of {@code catalog}.
   *
   * @param schedulers the running schedulers by database name (empty when scheduling is off)
   */
  public BackupMetrics(BackupCatalog catalog, Map<String, BackupScheduler> schedulers, Clock clock) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.schedulers = Map.copyOf(schedulers);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (DatabaseBackup db : catalog.all()) {
      Summary s = new Summary(db, clock);
      Tags tags = Tags.of("database", db.name());
      gauge(registry, "vigil.backup.last.success.timestamp", "seconds", "end of the newest successful backup",
          s, x -> x.get().lastBackup().map(r -> seconds(r.finishedAt())).orElse(Double.NaN), tags);
      gauge(registry, "vigil.backup.last.verify.timestamp", "seconds", "end of the newest finished verification",
          s, x -> x.get().lastVerify().map(r -> seconds(r.finishedAt())).orElse(Double.NaN), tags);
      gauge(registry, "vigil.backup.last.verify.success", null, "1 when the newest verification passed, 0 when it failed",
          s, x -> x.get().lastVerify().map(r -> BackupRun.SUCCEEDED.equals(r.status()) ? 1.0 : 0.0)
              .orElse(Double.NaN), tags);
      gauge(registry, "vigil.backup.size", "bytes", "size of the newest successful backup",
          s, x -> x.get().lastBackup().map(r -> r.sizeBytes() == null ? Double.NaN : r.sizeBytes().doubleValue())
              .orElse(Double.NaN), tags);
      gauge(registry, "vigil.backup.duration", "seconds", "how long the newest successful backup took",
          s, x -> x.get().lastBackup().map(r -> Duration.between(r.startedAt(), r.finishedAt()).toMillis() / 1000.0)
              .orElse(Double.NaN), tags);
      FunctionCounter.builder("vigil.backup.failures", db, d -> s.get().failedBackups()).tags(tags)
          .description("backups that failed or were interrupted").register(registry);
      BackupScheduler scheduler = schedulers.get(db.name());
      FunctionCounter.builder("vigil.backup.missed.runs", db, d -> missed(scheduler)).tags(tags)
          .description("scheduled runs missed while no scheduler was running").register(registry);
    }
  }

  private static double missed(BackupScheduler scheduler) {
    return scheduler == null ? 0 : scheduler.missedRuns().stream().mapToInt(MissedRun::count).sum();
  }

  private static double seconds(Instant t) {
    return t == null ? Double.NaN : t.toEpochMilli() / 1000.0;
  }

  private static void gauge(MeterRegistry registry, String name, String unit, String description, Summary s,
      ToDoubleFunction<Summary> f, Tags tags) {
    // the database (held by the catalog) is the weakly held state; the summary rides in the function
    Gauge.builder(name, s.db, d -> f.applyAsDouble(s)).baseUnit(unit).description(description).tags(tags).register(registry);
  }

  /** One database's run summary, read again when older than {@link #SUMMARY_MAX_AGE}. */
  private static final class Summary {
    private final DatabaseBackup db;
    private final Clock clock;
    private RunSummary value;
    private long readAt;

    Summary(DatabaseBackup db, Clock clock) {
      this.db = db;
      this.clock = clock;
    }

    synchronized RunSummary get() {
      long now = clock.millis();
      if (value == null || now - readAt >= SUMMARY_MAX_AGE.toMillis() || now < readAt) {
        value = db.runSummary();
        readAt = now;
      }
      return value;
    }
  }
}
