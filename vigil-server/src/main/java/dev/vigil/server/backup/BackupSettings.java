package dev.vigil.server.backup;

import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import dev.vigil.core.config.VigilConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code backup.*} settings; their defaults are the backup library's. The databases themselves
 * ({@code DATABASE_URL}, {@code backup.databases.<name>}) are read by the config loader, which
 * validates their URLs ({@link VigilConfig#databases()}).
 */
public final class BackupSettings {
  private BackupSettings() {
  }

  /** Where backups are written; empty means {@code <data_dir>/backups}. */
  public static final Setting<String> BACKUP_DIR = Setting.of("backup.dir", ValueParser.text(), null,
      "directory of the backups (default <data_dir>/backups)", "BACKUP_DIR");
  /** Backups kept by count. */
  public static final Setting<Integer> MAX_BACKUPS = Setting.of("backup.max_backups", ValueParser.integer(1, 100_000),
      Integer.toString(DatabaseBackup.DEFAULT_MAX_BACKUPS), "newest backups kept per database", "MAX_BACKUPS");
  /** Compression of backups. */
  public static final Setting<String> BACKUP_COMPRESSION = Setting.of("backup.compression",
      ValueParser.oneOf("gzip", "zstd", "none"), DatabaseBackup.DEFAULT_COMPRESSION.id(),
      "compression of backup files");
  /** Whether scheduled backups run. */
  public static final Setting<Boolean> BACKUP_SCHEDULER = Setting.of("backup.scheduler.enabled", ValueParser.bool(),
      "true", "run scheduled backups", "ENABLE_BACKUP_SCHEDULER");
  /** Hour of the daily backup. */
  public static final Setting<Integer> BACKUP_HOUR = Setting.of("backup.scheduler.hour", ValueParser.integer(0, 23),
      Integer.toString(BackupScheduler.DEFAULT_DAILY_HOUR), "hour of the daily backup", "BACKUP_HOUR");
  /** Minute of the daily backup. */
  public static final Setting<Integer> BACKUP_MINUTE = Setting.of("backup.scheduler.minute",
      ValueParser.integer(0, 59), Integer.toString(BackupScheduler.DEFAULT_DAILY_MINUTE), "minute of the daily backup",
      "BACKUP_MINUTE");
  /** Extra backup every N hours (0: off). */
  public static final Setting<Integer> BACKUP_EVERY_HOURS = Setting.of("backup.scheduler.every_hours",
      ValueParser.integer(0, 8760), "0", "also back up every N hours (0: off)");
  /** Extra backups on a Unix cron expression. */
  public static final Setting<String> BACKUP_CRON = Setting.of("backup.scheduler.cron", ValueParser.matching(
      "\\S+( \\S+){4}", "a five-field Unix cron expression such as '0 */6 * * *'"), null,
      "also back up on this Unix cron expression");
  /** Whether the newest backup is verified on a schedule. */
  public static final Setting<Boolean> BACKUP_VERIFY = Setting.of("backup.verify.enabled", ValueParser.bool(), "true",
      "verify the newest backup on a schedule (test restore)");
  /** When the newest backup is verified. */
  public static final Setting<String> BACKUP_VERIFY_CRON = Setting.of("backup.verify.cron", ValueParser.matching(
      "\\S+( \\S+){4}", "a five-field Unix cron expression such as '0 4 * * *'"), BackupScheduler.DEFAULT_VERIFY_CRON,
      "when the newest backup is verified (Unix cron)");
  /** A scratch server for test restores. */
  public static final Setting<String> BACKUP_VERIFY_URL = Setting.of("backup.verify.url",
      ValueParser.matching("(postgresql|postgres|mysql|mariadb)://.+", "a postgresql:// or mysql:// server URL"), null,
      "server (same engine) where test restores create their scratch vigil_verify_* databases, so the backed-up "
          + "server needs no CREATEDB; empty: the backed-up server", "BACKUP_VERIFY_URL")
      .masked(Setting.Secret.URL_PASSWORD);
  /** Daily slots kept by retention (restic semantics). */
  public static final Setting<Integer> KEEP_DAILY = Setting.of("backup.retention.daily", ValueParser.integer(0, 100_000),
      "0", "also keep the newest backup of each of the last N days");
  /** Weekly slots kept by retention. */
  public static final Setting<Integer> KEEP_WEEKLY = Setting.of("backup.retention.weekly",
      ValueParser.integer(0, 100_000), "0", "also keep the newest backup of each of the last N weeks");
  /** Monthly slots kept by retention. */
  public static final Setting<Integer> KEEP_MONTHLY = Setting.of("backup.retention.monthly",
      ValueParser.integer(0, 100_000), "0", "also keep the newest backup of each of the last N months");
  /** Yearly slots kept by retention. */
  public static final Setting<Integer> KEEP_YEARLY = Setting.of("backup.retention.yearly",
      ValueParser.integer(0, 100_000), "0", "also keep the newest backup of each of the last N years");
  /** PostgreSQL dump format. */
  public static final Setting<String> BACKUP_PG_FORMAT = Setting.of("backup.postgres_format",
      ValueParser.oneOf("custom", "plain"), DatabaseBackup.DEFAULT_POSTGRES_FORMAT.id(),
      "pg_dump format: custom archive or plain SQL");

  /** Whether a failed scheduled backup is retried through the durable job queue (when alerts run). */
  public static final Setting<Boolean> RETRY = Setting.of("backup.retry.enabled", ValueParser.bool(), "true",
      "retry a failed scheduled backup through the durable job queue (GET /api/jobs, queue backup-retry)");
  /** Attempts of a retry before it is dead-lettered. */
  public static final Setting<Integer> RETRY_MAX_ATTEMPTS = Setting.of("backup.retry.max_attempts",
      ValueParser.integer(1, 1000), Integer.toString(BackupScheduler.DEFAULT_RETRY_MAX_ATTEMPTS),
      "attempts to retry a failed scheduled backup before it is dead-lettered");
  /** First retry delay. */
  public static final Setting<Duration> RETRY_BACKOFF = Setting.of("backup.retry.backoff",
      ValueParser.duration(Duration.ofMillis(100), Duration.ofDays(1)),
      ValueParser.durationText(BackupScheduler.DEFAULT_RETRY_BACKOFF),
      "first delay before a failed scheduled backup is retried; doubles each attempt, with jitter");
  /** Longest retry delay. */
  public static final Setting<Duration> RETRY_BACKOFF_MAX = Setting.of("backup.retry.backoff_max",
      ValueParser.duration(Duration.ofMillis(100), Duration.ofDays(1)),
      ValueParser.durationText(BackupScheduler.DEFAULT_RETRY_BACKOFF_MAX), "longest delay between retries of a failed backup");
  /** Age after which a failed backup is no longer retried. */
  public static final Setting<Duration> RETRY_MAX_AGE = Setting.of("backup.retry.max_age",
      ValueParser.duration(Duration.ofSeconds(1), Duration.ofDays(30)),
      ValueParser.durationText(BackupScheduler.DEFAULT_RETRY_MAX_AGE), "after this a failed scheduled backup is not retried");

  /** Every backup setting, in the order {@code vigil config} prints them. */
  public static final List<Setting<?>> ALL = List.of(BACKUP_DIR, MAX_BACKUPS, BACKUP_COMPRESSION, BACKUP_SCHEDULER,
      BACKUP_HOUR, BACKUP_MINUTE, BACKUP_EVERY_HOURS, BACKUP_CRON, BACKUP_VERIFY, BACKUP_VERIFY_CRON, KEEP_DAILY,
      KEEP_WEEKLY, KEEP_MONTHLY, KEEP_YEARLY, BACKUP_PG_FORMAT, BACKUP_VERIFY_URL, RETRY, RETRY_MAX_ATTEMPTS, RETRY_BACKOFF,
      RETRY_BACKOFF_MAX, RETRY_MAX_AGE);

  /** The backup directory: {@code backup.dir}, or {@code <data_dir>/backups}. */
  public static Path backupDir(VigilConfig config) {
    return config.find(BACKUP_DIR).map(Path::of).orElse(config.dataDir().resolve("backups"));
  }
}
