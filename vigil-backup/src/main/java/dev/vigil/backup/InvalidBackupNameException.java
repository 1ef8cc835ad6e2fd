package dev.vigil.backup;

/**
 * A backup file name or name prefix was rejected: it does not match Vigil's naming pattern, so it
 * cannot be one of its backups (path traversal, absolute paths and encoded separators all land here).
 */
public final class InvalidBackupNameException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message already shows the (sanitized) name. */
  public InvalidBackupNameException(String message) {
    super(message);
  }
}
