package dev.vigil.server.alert;

import dev.vigil.alert.report.ReportTable;
import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.store.BackupRun;
import dev.vigil.optimizer.ActionRecord;
import dev.vigil.optimizer.Optimizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weekly report sections the server's features contribute after the incidents: the week's
 * backups per database with their outcome and verification, and the optimizer's actions.
 */
final class ReportSections {
  /** Runs read per database (more than a week of hourly backups with their verifications). */
  private static final int RUNS_READ = 1000;
  /** Optimizer actions read. */
  private static final int ACTIONS_READ = 500;

  private ReportSections() {
  }

  /** The week's backups, or why there are none. */
  static ReportTable backups(BackupCatalog catalog, Instant from, Instant to) {
    if (catalog == null) {
      return ReportTable.note("Backups are off: no database is configured (DATABASE_URL or backup.databases).");
    }
    List<List<String>> rows = new ArrayList<>();
    for (DatabaseBackup db : catalog.all()) {
      Map<String, BackupRecord> files = new HashMap<>();
      for (BackupRecord r : db.listBackups()) {
        files.put(r.filename(), r);
      }
      for (BackupRun run : db.runs(RUNS_READ)) {
        if (!"BACKUP".equals(run.operation()) || run.startedAt().isBefore(from) || !run.startedAt().isBefore(to)) {
          continue;
        }
        BackupRecord file = run.filename() == null ? null : files.get(run.filename());
        String verification = BackupRun.FAILED.equals(run.status()) ? "-"
            : file == null ? "file no longer kept"
            : file.verification() == null ? "not verified"
            : file.verification().ok() ? "verified" : "verification failed: " + file.verification().message();
        rows.add(List.of(db.name(), run.startedAt().truncatedTo(ChronoUnit.SECONDS).toString(), run.status(),
            run.filename() == null ? "-" : run.filename(),
            run.sizeBytes() == null ? "-" : String.format(Locale.ROOT, "%.2f", run.sizeBytes() / 1048576.0),
            verification, run.reason() == null ? "" : run.reason()));
      }
    }
    String note = catalog.names().size() + " database(s): " + String.join(", ", catalog.names()) + ".";
    if (rows.isEmpty()) {
      return ReportTable.note(note + " No backup ran this week.");
    }
    return new ReportTable(List.of("Database", "Started (UTC)", "Outcome", "File", "Size (MB)", "Verification",
        "Reason"), rows, note);
  }

  /** The optimizer's actions applied in the week, or why there are none. */
  static ReportTable optimizer(Optimizer optimizer, Instant from, Instant to) {
    if (optimizer == null) {
      return ReportTable.note("The optimizer is off.");
    }
    List<List<String>> rows = new ArrayList<>();
    for (ActionRecord a : optimizer.history(ACTIONS_READ)) {
      if (a.appliedAt() == null || a.appliedAt().isBefore(from) || !a.appliedAt().isBefore(to)) {
        continue;
      }
      rows.add(List.of(a.appliedAt().truncatedTo(ChronoUnit.SECONDS).toString(), a.tuning(), a.proposal().kind(),
          a.proposal().target(), a.status().name(), a.actor() == null ? "" : a.actor(),
          a.decision() == null ? "" : a.decision()));
    }
    String note = "Optimizer " + (optimizer.enabled() ? "on" : "paused") + " at level " + optimizer.level().label() + ".";
    if (rows.isEmpty()) {
      return ReportTable.note(note + " No action this week.");
    }
    return new ReportTable(List.of("Applied (UTC)", "Tuning", "Change", "Target", "Status", "By", "Decision"), rows,
        note);
  }
}
