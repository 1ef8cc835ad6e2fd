package dev.vigil.backup;

import java.nio.file.Path;

/** The named backup file does not exist in the backup directory (the name itself was valid). */
public final class BackupNotFoundException extends BackupException {
  private static final long serialVersionUID = 1L;

  /** Creates the error for {@code filename} in {@code dir}. */
  public BackupNotFoundException(String filename, Path dir) {
    super("backup " + filename + " does not exist in " + dir);
  }
}
