package dev.vigil.server.backup;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.compress.Compression;
import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.backup.engine.DumpFormat;
import dev.vigil.backup.retention.RetentionPolicy;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.backup.schedule.Trigger;
import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.FleetLock;
import dev.vigil.core.store.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the backup feature from the configuration, the same way for the server and for the CLI
 * (which works on the databases directly, with no server): one {@link DatabaseBackup} per configured
 * database in a {@link BackupCatalog}, and one {@link BackupScheduler} per database.
 *
 * <p>Backups are named and scheduled in the machine's local time zone ({@code BACKUP_HOUR=2} means
 * 02:00 local), whatever zone the given clock has.
 */
public final class BackupSetup {
  private BackupSetup() {
  }

  /**
   * Opens a backup manager per configured database ({@code DATABASE_URL} as {@code default}, plus
   * {@code backup.databases.<name>}), recording runs in {@code store}.
   *
   * @return empty when no database is configured
   * @throws ConfigException naming the key of a database URL that cannot be used
   */
  public static Optional<BackupCatalog> catalog(VigilConfig config, StateStore store, Clock clock,
      BackupProgress progress) {
    Map<String, String> urls = config.databases();
    if (urls.isEmpty()) {
      return Optional.empty();
    }
    urls.forEach(BackupSetup::checkUrl);
    RetentionPolicy retention = retention(config);
    Compression compression = Compression.ofId(config.get(BackupSettings.BACKUP_COMPRESSION));
    DumpFormat pgFormat = "plain".equals(config.get(BackupSettings.BACKUP_PG_FORMAT)) ? DumpFormat.PLAIN : DumpFormat.CUSTOM;
    return Optional.of(BackupCatalog.open(urls, BackupSettings.backupDir(config), b -> b.retention(retention)
        .compression(compression).postgresFormat(pgFormat).clock(local(clock)).stateStore(store)
        .progress(progress)));
  }

  /** Fails start-up with one line naming the key of a database URL or name the backup library cannot use. */
  private static void checkUrl(String name, String url) {
    String key = DatabaseBackup.DEFAULT_NAME.equals(name) ? Settings.DATABASE_URL.key()
        : Settings.BACKUP_DATABASES + "." + name;
    try {
      DatabaseUrl.parse(url);
      DatabaseBackup.builder(url, Path.of(".")).name(name);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, Setting.maskUrlPassword(url), "a usable database URL and name (" + e.getMessage()
          + ")");
    }
  }

  /**
   * A scheduler per database with the configured jobs (not started): daily at
   * {@code BACKUP_HOUR:BACKUP_MINUTE}, optionally every N hours and on a cron expression, plus the
   * verification of the newest backup. Every run takes {@code fleetLock}, so instances sharing a
   * store run each fire time once.
   *
   * @return schedulers by database name
   * @throws ConfigException for a cron expression cron-utils rejects
   */
  public static Map<String, BackupScheduler> schedulers(VigilConfig config, BackupCatalog catalog, FleetLock fleetLock,
      Clock clock) {
    Trigger cron = config.find(BackupSettings.BACKUP_CRON).map(e -> trigger(BackupSettings.BACKUP_CRON, e)).orElse(null);
    Trigger verify = config.get(BackupSettings.BACKUP_VERIFY)
        ? trigger(BackupSettings.BACKUP_VERIFY_CRON, config.get(BackupSettings.BACKUP_VERIFY_CRON)) : null;
    Map<String, BackupScheduler> out = new LinkedHashMap<>();
    for (DatabaseBackup db : catalog.all()) {
      BackupScheduler s = BackupScheduler.builder(db).clock(local(clock)).fleetLock(fleetLock).build();
      s.scheduleDaily(config.get(BackupSettings.BACKUP_HOUR), config.get(BackupSettings.BACKUP_MINUTE));
      int every = config.get(BackupSettings.BACKUP_EVERY_HOURS);
      if (every > 0) {
        s.scheduleEvery(every);
      }
      if (cron != null) {
        s.scheduleCron(((Trigger.Cron) cron).expression());
      }
      if (verify != null) {
        s.scheduleVerify(verify);
      }
      out.put(db.name(), s);
    }
    return out;
  }

  /** The retention policy: {@code MAX_BACKUPS} newest plus the optional daily/weekly/monthly/yearly slots. */
  public static RetentionPolicy retention(VigilConfig config) {
    return RetentionPolicy.keepLast(config.get(BackupSettings.MAX_BACKUPS))
        .withDaily(config.get(BackupSettings.KEEP_DAILY)).withWeekly(config.get(BackupSettings.KEEP_WEEKLY))
        .withMonthly(config.get(BackupSettings.KEEP_MONTHLY)).withYearly(config.get(BackupSettings.KEEP_YEARLY));
  }

  private static Trigger trigger(Setting<String> key, String expression) {
    try {
      return Trigger.cron(expression);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key.key(), expression, "a valid five-field Unix cron expression (" + e.getMessage()
          + ")");
    }
  }

  private static Clock local(Clock clock) {
    return clock.withZone(ZoneId.systemDefault());
  }
}
