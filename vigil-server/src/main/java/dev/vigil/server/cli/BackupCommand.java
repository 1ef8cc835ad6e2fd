package dev.vigil.server.cli;

import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.BackupStats;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.restore.RestoreResult;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.backup.schedule.JobInfo;
import dev.vigil.backup.verify.VerificationResult;
import dev.vigil.core.store.FleetLock;
import dev.vigil.server.backup.BackupSettings;
import dev.vigil.server.backup.BackupSetup;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil backup create|list|stats|verify|restore|delete|jobs}: works on the configured databases
 * and backup directory directly, with no server running (emergency recovery). A progress
 * bar shows on create, verify and restore when the output is a terminal.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up, verify and restore databases.",
    subcommands = {BackupCommand.Create.class, BackupCommand.ListBackups.class, BackupCommand.Stats.class,
        BackupCommand.Verify.class, BackupCommand.Restore.class, BackupCommand.Delete.class, BackupCommand.Jobs.class})
public final class BackupCommand extends CommandGroup {

  /** Options every backup command shares: {@code --config}, {@code --database}, {@code --format}. */
  static final class Common {
    @Mixin
    ConfigOption config;
    @Option(names = "--database", paramLabel = "NAME", description = "a configured database (default: all for "
        + "list/stats/jobs, the first one otherwise)")
    String database;
    @Mixin
    FormatOption format;

    LocalBackups open() {
      return LocalBackups.open(config.load(), BackupProgress.NONE);
    }
  }

  /** {@code vigil backup create [--prefix P]}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Take a backup now (then verify, rotate).")
  static final class Create implements Callable<Integer> {
    @Mixin
    Common common;
    @Option(names = "--prefix", defaultValue = DatabaseBackup.DEFAULT_PREFIX, description = "file name prefix")
    String prefix;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      BackupRecord r = LocalBackups.withProgress(common.config.load(), spec.commandLine().getErr(),
          b -> b.database(common.database).createBackup(prefix));
      printBackups(spec.commandLine().getOut(), common.format, List.of(r), "created " + r.filename() + " ("
          + r.sizeMb() + " MB, " + (r.verified() ? "verified" : "NOT verified") + ")");
      return r.verification() != null && !r.verification().ok() ? 1 : 0;
    }
  }

  /** {@code vigil backup list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Backups, newest first.")
  static final class ListBackups implements Callable<Integer> {
    @Mixin
    Common common;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (LocalBackups b = common.open()) {
        List<BackupRecord> all = new ArrayList<>();
        b.selected(common.database).forEach(d -> all.addAll(d.listBackups()));
        all.sort(Comparator.comparing(BackupRecord::timestamp).reversed());
        printBackups(spec.commandLine().getOut(), common.format, all, all.size() + " backup(s)"
            + (all.isEmpty() ? "" : ", newest " + all.get(0).filename()));
        return 0;
      }
    }
  }

  /** {@code vigil backup stats}. */
  @Command(name = "stats", mixinStandardHelpOptions = true, description = "Count, size, oldest and newest backup.")
  static final class Stats implements Callable<Integer> {
    @Mixin
    Common common;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (LocalBackups b = common.open()) {
        Map<String, BackupStats> stats = new LinkedHashMap<>();
        b.selected(common.database).forEach(d -> stats.put(d.name(), d.backupStats()));
        PrintWriter out = spec.commandLine().getOut();
        common.format.print(out, stats, o -> stats.forEach((name, s) -> o.println(name + ": " + s.totalBackups()
            + " backups, " + s.totalSizeMb() + " MB, newest " + (s.newestBackup() == null ? "-" : s.newestBackup()))),
            o -> Output.table(o, List.of("DATABASE", "BACKUPS", "SIZE_MB", "OLDEST", "NEWEST", "NEWEST_VERIFIED"),
                stats.entrySet().stream().map(e -> List.of(e.getKey(), Integer.toString(e.getValue().totalBackups()),
                    Double.toString(e.getValue().totalSizeMb()), text(e.getValue().oldestBackup()),
                    text(e.getValue().newestBackup()), text(e.getValue().newestVerified()))).toList()));
        return 0;
      }
    }
  }

  /** {@code vigil backup verify FILE}: exits 1 when the backup fails verification. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check a backup's SHA-256 and test-restore it into a scratch database (exit 1 on failure).")
  static final class Verify implements Callable<Integer> {
    @Mixin
    Common common;
    @Parameters(paramLabel = "FILE", description = "backup file name")
    String file;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      VerificationResult v = LocalBackups.withProgress(common.config.load(), spec.commandLine().getErr(),
          b -> b.database(common.database).verifyBackup(file));
      common.format.print(spec.commandLine().getOut(), v,
          o -> o.println(file + ": " + (v.ok() ? "OK" : "FAILED: " + v.message())),
          o -> Output.table(o, List.of("FILE", "RESULT", "CHECKSUM", "TEST_RESTORE", "TABLES", "DETAIL"),
              List.of(List.of(file, v.ok() ? "OK" : "FAILED", v.checksumOk() ? "ok" : "MISMATCH",
                  v.restoreOk() ? "ok" : "FAILED", Integer.toString(v.restoredRows().size()), v.message()))));
      return v.ok() ? 0 : 1;
    }
  }

  /** {@code vigil backup restore FILE|--latest --yes}. */
  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Restore a backup over its database, after a safety backup of the current state. Needs --yes.")
  static final class Restore implements Callable<Integer> {
    @Mixin
    Common common;
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "backup file name")
    String file;
    @Option(names = "--latest", description = "restore the newest backup whose verification passed")
    boolean latest;
    @Option(names = "--yes", description = "confirm that the database's current content is replaced")
    boolean yes;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if ((file == null) == !latest) {
        throw new IllegalArgumentException("name the backup FILE to restore, or pass --latest (not both)");
      }
      if (!yes) {
        throw new IllegalArgumentException("restoring replaces the current content of the database (a safety "
            + "backup is taken first); add --yes to confirm");
      }
      RestoreResult r = LocalBackups.withProgress(common.config.load(), spec.commandLine().getErr(), b -> {
        DatabaseBackup db = b.database(common.database);
        String target = file != null ? file : db.newestVerified().map(BackupRecord::filename).orElseThrow(
            () -> new IllegalStateException("database " + db.name() + " has no verified backup in " + db.backupDir()));
        return db.restoreBackup(target);
      });
      common.format.print(spec.commandLine().getOut(), r, o -> o.println("restored " + r.database() + " from "
          + r.filename() + " in " + r.durationMs() + " ms"
          + (r.safetyBackup() == null ? "" : "; safety backup " + r.safetyBackup())),
          o -> Output.table(o, List.of("DATABASE", "RESTORED_FROM", "SAFETY_BACKUP", "DURATION_MS", "NOTE"),
              List.of(List.of(r.database(), r.filename(), text(r.safetyBackup()), Long.toString(r.durationMs()),
                  text(r.note())))));
      return 0;
    }
  }

  /** {@code vigil backup delete FILE}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a backup and its manifest.")
  static final class Delete implements Callable<Integer> {
    @Mixin
    Common common;
    @Parameters(paramLabel = "FILE", description = "backup file name")
    String file;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (LocalBackups b = common.open()) {
        DatabaseBackup db = b.database(common.database);
        if (!db.deleteBackup(file)) {
          throw new IllegalArgumentException("no backup " + file + " of database " + db.name() + " in "
              + db.backupDir());
        }
        spec.commandLine().getOut().println("deleted " + file);
        spec.commandLine().getOut().flush();
        return 0;
      }
    }
  }

  /** {@code vigil backup jobs}: the configured schedule with next fire times and last results. */
  @Command(name = "jobs", mixinStandardHelpOptions = true,
      description = "Scheduled jobs: next run, trigger, last result, runs missed.")
  static final class Jobs implements Callable<Integer> {
    /** One job of one database, as {@code --format json} prints it. */
    record JobRow(String database, JobInfo job) {
    }

    @Mixin
    Common common;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (LocalBackups b = common.open()) {
        Map<String, BackupScheduler> schedulers = BackupSetup.schedulers(b.config, b.catalog,
            new FleetLock(b.store, Clock.systemUTC()), Clock.systemUTC());
        List<JobRow> rows = new ArrayList<>();
        schedulers.forEach((name, s) -> {
          if (common.database == null || common.database.equals(name)) {
            s.jobs().forEach(j -> rows.add(new JobRow(name, j)));
          }
        });
        boolean enabled = b.config.get(BackupSettings.BACKUP_SCHEDULER);
        common.format.print(spec.commandLine().getOut(), Map.of("scheduler_enabled", enabled, "jobs", rows),
            o -> o.println(rows.size() + " job(s), scheduler " + (enabled ? "enabled" : "disabled")),
            o -> Output.table(o, List.of("DATABASE", "JOB", "TRIGGER", "NEXT_RUN", "LAST_RUN", "LAST_STATUS",
                "LAST_MESSAGE"), rows.stream().map(r -> List.of(r.database(), r.job().name(), r.job().trigger(),
                    text(r.job().nextRunTime()), text(r.job().lastRunTime()), text(r.job().lastStatus()),
                    text(r.job().lastMessage()))).toList()));
        return 0;
      }
    }
  }

  static void printBackups(PrintWriter out, FormatOption format, List<BackupRecord> backups, String summary) {
    format.print(out, Map.of("backups", backups), o -> o.println(summary),
        o -> Output.table(o, List.of("FILE", "DATABASE", "SIZE_MB", "TIMESTAMP", "COMPRESSED", "VERIFIED"),
            backups.stream().map(r -> List.of(r.filename(), text(r.database()), String.format(Locale.ROOT, "%.2f",
                r.sizeMb()), r.timestamp().toString(), r.compressed() ? "yes" : "no",
                r.verification() == null ? "-" : r.verified() ? "ok" : "FAILED")).toList()));
  }

  static String text(Object o) {
    return o == null ? "-" : o.toString();
  }
}
