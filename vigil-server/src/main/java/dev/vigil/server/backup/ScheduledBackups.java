package dev.vigil.server.backup;

import dev.vigil.backup.schedule.BackupScheduler;
import java.util.Map;

/**
 * The running backup schedulers, by database name, as the backup feature offers them to later
 * features: the alerts feature attaches its retry of failed scheduled backups to them, so the backup
 * feature needs nothing of the alerts.
 *
 * @param byDatabase the schedulers (empty when scheduled backups are off)
 */
public record ScheduledBackups(Map<String, BackupScheduler> byDatabase) {
  /** Copies the map. */
  public ScheduledBackups {
    byDatabase = Map.copyOf(byDatabase);
  }
}
