package dev.vigil.backup;

/** The backup cannot be deleted because a recovery checkpoint still refers to it. */
public final class BackupInUseException extends BackupException {
  private static final long serialVersionUID = 1L;

  /** Creates the error for {@code filename}, pinned by {@code checkpoint}. */
  public BackupInUseException(String filename, String checkpoint) {
    super("backup " + filename + " belongs to recovery checkpoint " + checkpoint + "; delete the checkpoint first");
  }
}
