package dev.vigil.insight;

/**
 * A database could not be inspected: it is unreachable, a needed extension or grant is missing, or a
 * statement timed out. The message names the database and what to do; it never holds a password.
 */
public class InsightException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the database and the problem. */
  public InsightException(String message) {
    super(message);
  }

  /** With a message naming the database and the problem, and its cause. */
  public InsightException(String message, Throwable cause) {
    super(message, cause);
  }
}
