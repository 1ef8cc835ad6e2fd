package dev.vigil.backup.store;

import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The run history in the state store (table {@code vigil_backup_run}, migrated by
 * {@code StateStore.migrate("backup")}). A run is inserted as RUNNING before any file is touched, so
 * a process killed mid-run leaves a RUNNING row that {@link #reapInterrupted(String)} later turns
 * into FAILED with the reason "interrupted".
 */
public final class BackupRuns {
  private static final String HOST = hostName();
  private final StateStore store;
  private final Clock clock;

  /** Uses {@code store}, migrating the backup tables. */
  public BackupRuns(StateStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    store.migrate("backup");
  }

  /** Records the start of an operation; returns its run id. */
  public String start(String database, String operation, String filename) {
    String id = UUID.randomUUID().toString();
    ProcessHandle self = ProcessHandle.current();
    Long selfStart = self.info().startInstant().map(Instant::toEpochMilli).orElse(null);
    store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_backup_run(id, database_name, operation, filename, "
            + "status, started_at, host, pid, pid_started_at) VALUES (:id, :db, :op, :file, 'RUNNING', :now, :host, "
            + ":pid, :pidStart)")
        .bind("id", id).bind("db", database).bind("op", operation).bind("file", filename)
        .bind("now", clock.millis()).bind("host", HOST).bind("pid", self.pid()).bind("pidStart", selfStart)
        .execute());
    return id;
  }

  /** Marks a run SUCCEEDED. */
  public void succeed(String id, String filename, Long sizeBytes, String sha256) {
    finish(id, BackupRun.SUCCEEDED, filename, sizeBytes, sha256, null);
  }

  /** Marks a run FAILED with {@code reason} (which must already be free of secrets). */
  public void fail(String id, String filename, String reason) {
    finish(id, BackupRun.FAILED, filename, null, null, reason);
  }

  private void finish(String id, String status, String filename, Long size, String sha, String reason) {
    store.jdbi().useHandle(h -> h.createUpdate("UPDATE vigil_backup_run SET status = :status, finished_at = :now, "
            + "filename = COALESCE(:file, filename), size_bytes = :size, sha256 = :sha, reason = :reason WHERE id = :id")
        .bind("status", status).bind("now", clock.millis()).bind("file", filename).bind("size", size)
        .bind("sha", sha).bind("reason", reason).bind("id", id).execute());
  }

  /**
   * Turns RUNNING runs of {@code database} on this host whose process is gone into FAILED
   * ("interrupted"), so a killed run is reported.
   *
   * @return how many runs were marked
   */
  public int reapInterrupted(String database) {
    List<long[]> running = store.jdbi().withHandle(h -> h.createQuery("SELECT pid, pid_started_at FROM "
            + "vigil_backup_run WHERE database_name = :db AND status = 'RUNNING' AND host = :host")
        .bind("db", database).bind("host", HOST)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getObject(2) == null ? -1 : rs.getLong(2)}).list());
    int marked = 0;
    for (long[] r : running) {
      if (!alive(r[0], r[1])) {
        marked += store.jdbi().withHandle(h -> h.createUpdate("UPDATE vigil_backup_run SET status = 'FAILED', "
                + "finished_at = :now, reason = :reason WHERE database_name = :db AND status = 'RUNNING' "
                + "AND host = :host AND pid = :pid")
            .bind("now", clock.millis()).bind("db", database).bind("host", HOST).bind("pid", r[0])
            .bind("reason", "interrupted: process " + r[0] + " ended before the run finished (killed or crashed); "
                + "its temp files were removed")
            .execute());
      }
    }
    return marked;
  }

  /** The latest runs of {@code database}, newest first. */
  public List<BackupRun> recent(String database, int limit) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT id, database_name, operation, filename, status, "
            + "started_at, finished_at, size_bytes, sha256, reason FROM vigil_backup_run WHERE database_name = :db "
            + "ORDER BY started_at DESC, id LIMIT :limit")
        .bind("db", database).bind("limit", limit)
        .map((rs, ctx) -> row(rs))
        .list());
  }

  /**
   * The facts monitoring needs about {@code database}: its newest successful backup, newest finished
   * verification and how many backups failed, in one read of the store.
   */
  public RunSummary summary(String database) {
    return store.jdbi().withHandle(h -> {
      String select = "SELECT id, database_name, operation, filename, status, started_at, finished_at, size_bytes, "
          + "sha256, reason FROM vigil_backup_run WHERE database_name = :db AND operation = :op AND status IN (<st>) "
          + "ORDER BY finished_at DESC, id LIMIT 1";
      Optional<BackupRun> backup = h.createQuery(select).bind("db", database).bind("op", "BACKUP")
          .bindList("st", List.of(BackupRun.SUCCEEDED)).map((rs, ctx) -> row(rs)).findFirst();
      Optional<BackupRun> verify = h.createQuery(select).bind("db", database).bind("op", "VERIFY")
          .bindList("st", List.of(BackupRun.SUCCEEDED, BackupRun.FAILED)).map((rs, ctx) -> row(rs)).findFirst();
      long failed = h.createQuery("SELECT COUNT(*) FROM vigil_backup_run WHERE database_name = :db "
              + "AND operation = 'BACKUP' AND status = 'FAILED'")
          .bind("db", database).mapTo(Long.class).one();
      return new RunSummary(backup, verify, failed);
    });
  }

  private static BackupRun row(ResultSet rs) throws SQLException {
    return new BackupRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)),
        rs.getObject(7) == null ? null : Instant.ofEpochMilli(rs.getLong(7)),
        rs.getObject(8) == null ? null : rs.getLong(8), rs.getString(9), rs.getString(10));
  }

  private static boolean alive(long pid, long startedAt) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    if (startedAt < 0) {
      return true;
    }
    return p.get().info().startInstant().map(i -> Math.abs(i.toEpochMilli() - startedAt) < 2000).orElse(true);
  }

  private static String hostName() {
    try {
      return Files.readString(Path.of("/etc/hostname")).strip();
    } catch (IOException e) {
      String h = System.getenv("HOSTNAME");
      return h == null || h.isBlank() ? "localhost" : h;
    }
  }
}
