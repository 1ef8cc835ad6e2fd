package dev.vigil.backup.schedule;

import java.time.Instant;

/**
 * What {@link BackupScheduler#retry} did for one failed slot.
 *
 * @param database the database's configured name
 * @param job the job name
 * @param fireAt the slot's fire time
 * @param outcome what happened
 * @param filename the backup that now covers the slot, when there is one
 * @param message a sentence for people and the audit trail
 */
public record RetryResult(String database, String job, Instant fireAt, Outcome outcome, String filename,
    String message) {

  /** What a retry did. */
  public enum Outcome {
    /** Took the backup the slot missed. */
    BACKED_UP,
    /** Took it, but its verification failed (not retried again: the file exists). */
    BACKED_UP_UNVERIFIED,
    /** An earlier retry of the slot took the backup before it was interrupted; nothing was run again. */
    ALREADY_BACKED_UP,
    /** The slot had already succeeded (another instance, an earlier attempt); nothing was run. */
    ALREADY_SUCCEEDED,
    /** A later fire time of the job has run since; that run stands and nothing was run. */
    SUPERSEDED
  }
}
