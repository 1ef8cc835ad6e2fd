package dev.vigil.backup;

/**
 * Receives progress of long operations, for a progress bar (bytes, rate, ETA). Called from the
 * working thread about every megabyte; must return quickly.
 */
@FunctionalInterface
public interface BackupProgress {
  /** Ignores progress. */
  BackupProgress NONE = (operation, filename, done, total) -> { };

  /**
   * Reports progress.
   *
   * @param operation {@code backup}, {@code verify} or {@code restore}
   * @param filename the backup file
   * @param bytesDone bytes of the backup file written or read so far
   * @param bytesTotal the file's size when known (verify, restore), an estimate for a backup, or -1
   */
  void update(String operation, String filename, long bytesDone, long bytesTotal);
}
