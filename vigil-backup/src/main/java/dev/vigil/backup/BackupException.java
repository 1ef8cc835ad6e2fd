package dev.vigil.backup;

/**
 * A backup, verification, restore or retention step failed. The message names the database, the
 * file and the reason (for a tool: its exit code and the tail of its error output), and never holds
 * a password.
 */
public class BackupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a message that already carries its context. */
  public BackupException(String message) {
    super(message);
  }

  /** Creates the error with a message that already carries its context, and its cause. */
  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
