package dev.vigil.server.backup;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.metrics.BackupMetrics;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.FleetLock;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import java.util.List;
import java.util.Map;

/**
 * Backups of the configured databases: one {@code DatabaseBackup} each, their schedulers (one run per
 * fleet through a lock in the store), and {@code /api/backup/*}. Offers the {@link BackupCatalog} and
 * the {@link ScheduledBackups} to later features (the alerts feature retries failed scheduled backups
 * through its job queue). Off while no database is configured.
 */
public final class BackupFeature implements Feature {
  @Override
  public String name() {
    return "backups";
  }

  @Override
  public List<Setting<?>> settings() {
    return BackupSettings.ALL;
  }

  @Override
  public boolean enabled(VigilConfig config) {
    return !config.databases().isEmpty();
  }

  @Override
  public String howToEnable() {
    return "set DATABASE_URL or backup.databases.<name> in vigil.yml";
  }

  @Override
  public List<String> paths() {
    return List.of("/api/backup");
  }

  @Override
  public void start(ServerContext context) {
    BackupCatalog backups = context.closeOnStop(BackupSetup.catalog(context.config(), context.store(),
        context.clock(), BackupProgress.NONE).orElseThrow(() -> new IllegalStateException(
            "backups started without a configured database")));
    context.provide(BackupCatalog.class, backups);
    Map<String, BackupScheduler> schedulers = context.config().get(BackupSettings.BACKUP_SCHEDULER)
        ? BackupSetup.schedulers(context.config(), backups, new FleetLock(context.store(), context.clock()),
            context.clock())
        : Map.of();
    schedulers.values().forEach(s -> context.closeOnStop(s).start());
    context.provide(ScheduledBackups.class, new ScheduledBackups(schedulers));
    context.health(name(), () -> Health.up(backups.names().size() + " database(s), " + schedulers.size()
        + " scheduled"));
    BackupApi.register(context.routes(), backups, schedulers);
    new BackupMetrics(backups, schedulers, context.clock()).bindTo(context.meters());
  }
}
