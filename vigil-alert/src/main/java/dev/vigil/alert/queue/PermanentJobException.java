package dev.vigil.alert.queue;

/** A failure that retrying cannot fix (bad credentials, a rejected request): the job goes to the dead letters. */
public class PermanentJobException extends Exception {
  /** Creates the error; the message must be free of secrets. */
  public PermanentJobException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the error; the message must be free of secrets. */
  public PermanentJobException(String message) {
    super(message);
  }
}
