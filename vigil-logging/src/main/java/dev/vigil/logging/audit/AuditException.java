package dev.vigil.logging.audit;

/** The audit trail cannot do what was asked: a file, the key, the store or the chain is in the way. */
public class AuditException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message naming what failed. */
  public AuditException(String message) {
    super(message);
  }

  /** With a message and its cause. */
  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }
}
