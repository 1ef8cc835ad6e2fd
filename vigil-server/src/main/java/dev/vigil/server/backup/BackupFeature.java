package dev.vigil.server.backup;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.core.config.Settings;
import dev.vigil.core.store.FleetLock;
import dev.vigil.server.api.BackupApi;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import dev.vigil.server.http.HttpServer;
import java.util.Map;
import java.util.Optional;

/**
 * Backups of the configured databases: one {@code DatabaseBackup} each, their schedulers (one run per
 * fleet through a lock in the store), and {@code /api/backup/*}. Offers the {@link BackupCatalog} to
 * later features.
 */
public final class BackupFeature implements Feature {
  @Override
  public String name() {
    return "backups";
  }

  @Override
  public void start(ServerContext context) {
    Optional<BackupCatalog> backups = BackupSetup.catalog(context.config(), context.store(), context.clock(),
        BackupProgress.NONE);
    backups.ifPresent(context::closeOnStop);
    backups.ifPresent(b -> context.provide(BackupCatalog.class, b));
    Map<String, BackupScheduler> schedulers = backups.isPresent() && context.config().get(Settings.BACKUP_SCHEDULER)
        ? BackupSetup.schedulers(context.config(), backups.get(), new FleetLock(context.store(), context.clock()),
            context.clock())
        : Map.of();
    schedulers.values().forEach(s -> context.closeOnStop(s).start());
    context.health(name(), () -> backups.isEmpty()
        ? Health.degraded("no database is configured for backups")
        : Health.up(schedulers.size() + " scheduled database(s)"));
    BackupApi.register(context.routes(), backups.orElse(null), schedulers, HttpServer::audit);
  }
}
