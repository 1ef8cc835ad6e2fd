package dev.vigil.backup.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * A scheduled backup that failed: which database, which job and which fire time (the slot), and why.
 * What {@link BackupScheduler#onBackupFailure} reports so the slot can be retried; the pair of job and
 * fire time identifies the slot, so a retry of it is enqueued once whatever happens.
 *
 * @param database the database's configured name
 * @param job the scheduler's job name, e.g. {@code backup-daily-0200}
 * @param fireAt the scheduled fire time of the failed run
 * @param message why it failed (no secrets)
 */
public record FailedRun(String database, String job, Instant fireAt, String message) {
  /** Validates. */
  public FailedRun {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(fireAt, "fireAt");
  }
}
