package dev.vigil.backup.restore;

/**
 * How to restore.
 *
 * @param safetyBackup take a backup of the current state first (default true); turn off only when the
 *     current database cannot be dumped any more and the caller accepts losing it
 */
public record RestoreOptions(boolean safetyBackup) {
  /** The defaults: with a safety backup. */
  public static RestoreOptions defaults() {
    return new RestoreOptions(true);
  }

  /** Without a safety backup (e.g. the current database is too damaged to dump). */
  public static RestoreOptions withoutSafetyBackup() {
    return new RestoreOptions(false);
  }
}
