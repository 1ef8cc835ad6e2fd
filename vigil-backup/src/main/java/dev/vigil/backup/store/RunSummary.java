package dev.vigil.backup.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What monitoring reads about one database's backups from the run history (so it survives restarts).
 *
 * @param lastBackup the newest SUCCEEDED backup run
 * @param lastVerify the newest finished (SUCCEEDED or FAILED) verification run
 * @param failedBackups how many backup runs FAILED (interrupted ones included), ever
 */
public record RunSummary(Optional<BackupRun> lastBackup, Optional<BackupRun> lastVerify, long failedBackups) {
  /** Validates the parts. */
  public RunSummary {
    Objects.requireNonNull(lastBackup, "lastBackup");
    Objects.requireNonNull(lastVerify, "lastVerify");
  }
}
