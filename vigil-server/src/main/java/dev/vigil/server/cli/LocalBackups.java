package dev.vigil.server.cli;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.server.backup.BackupSetup;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The configured databases and backup directory opened directly by a CLI command, with no server: emergency
 * recovery works while the application and Vigil are down. Runs are recorded in the
 * same state store the server uses.
 */
final class LocalBackups implements AutoCloseable {
  final VigilConfig config;
  final StateStore store;
  final BackupCatalog catalog;

  private LocalBackups(VigilConfig config, StateStore store, BackupCatalog catalog) {
    this.config = config;
    this.store = store;
    this.catalog = catalog;
  }

  /**
   * Opens the state store and a backup manager per configured database.
   *
   * @throws IllegalStateException when no database is configured
   */
  static LocalBackups open(VigilConfig config, BackupProgress progress) {
    if (config.databases().isEmpty()) {
      throw new IllegalStateException("no database is configured for backups: set DATABASE_URL or "
          + "backup.databases.<name> in vigil.yml");
    }
    StateStore store = StateStore.open(config.find(Settings.STORE_URL).orElse(null), config.dataDir());
    try {
      BackupCatalog catalog = BackupSetup.catalog(config, store, Clock.systemDefaultZone(), progress).orElseThrow();
      return new LocalBackups(config, store, catalog);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Opens the backups with a progress bar on {@code err} (when it is a terminal), runs {@code work} and
   * ends the bar's line before returning, so the caller prints its result on a line of its own.
   */
  static <T> T withProgress(VigilConfig config, PrintWriter err, Function<LocalBackups, T> work) {
    BackupProgress bar = ProgressBar.forTerminal(err);
    try (LocalBackups b = open(config, bar)) {
      return work.apply(b);
    } finally {
      if (bar instanceof ProgressBar p) {
        p.finish();
      }
    }
  }

  /** Database {@code name}, or the first configured one when {@code name} is null. */
  DatabaseBackup database(String name) {
    return name == null ? catalog.all().get(0) : catalog.database(name);
  }

  /** Database {@code name}, or every configured one when {@code name} is null. */
  List<DatabaseBackup> selected(String name) {
    return name == null ? catalog.all() : List.of(catalog.database(name));
  }

  @Override
  public void close() {
    try {
      catalog.close();
    } finally {
      store.close();
    }
  }
}
