package dev.vigil.server.cli;

import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.server.audit.Actor;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.audit.ServerAudit;
import dev.vigil.server.backup.BackupSetup;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

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
    StateStore store = StateStore.open(config.find(Settings.STORE_URL).orElse(null), config.dataDir(), config.fileModes());
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

  /**
   * Database {@code name}; when null, {@code default} (the one of {@code DATABASE_URL}), else the only
   * configured one.
   *
   * @throws IllegalArgumentException when no name is given and several databases but no default exist
   */
  DatabaseBackup database(String name) {
    if (name != null) {
      return catalog.database(name);
    }
    if (catalog.names().contains(DatabaseBackup.DEFAULT_NAME)) {
      return catalog.database(DatabaseBackup.DEFAULT_NAME);
    }
    if (catalog.all().size() == 1) {
      return catalog.all().get(0);
    }
    throw new IllegalArgumentException("name the database with --database, one of " + catalog.names()
        + " (there is no default database: DATABASE_URL is not set)");
  }

  /**
   * Runs {@code action} and writes its audit record (user {@code cli:<os user>}, {@code via: cli}) with
   * its outcome, whether the server runs or not (the trail takes appends from several processes).
   *
   * @param resource what it acts on, e.g. {@code database:default}
   * @param details facts of a success, from the action's result
   */
  <T> T audited(String action, String resource, Supplier<T> work, Function<T, Map<String, String>> details) {
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      String reason = String.valueOf(e.getMessage());
      audit(AuditEvent.failure(action, resource, reason.length() <= 200 ? reason : reason.substring(0, 200) + "..."));
      throw e;
    }
    Map<String, String> facts = details.apply(result);
    AuditEvent event = "failure".equals(facts.get("outcome"))
        ? AuditEvent.failure(action, resource, String.valueOf(facts.get("reason")))
        : AuditEvent.success(action, resource);
    for (Map.Entry<String, String> f : facts.entrySet()) {
      if (!f.getKey().equals("outcome") && !f.getKey().equals("reason")) {
        event = event.with(f.getKey(), f.getValue());
      }
    }
    audit(event);
    return result;
  }

  private void audit(AuditEvent event) {
    try (AuditLog log = ServerAudit.open(config, store, Clock.systemUTC())) {
      ServerAudit.write(log, Actor.cli(), event.with("via", "cli"));
    }
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
