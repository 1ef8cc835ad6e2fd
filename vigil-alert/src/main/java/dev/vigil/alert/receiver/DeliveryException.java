package dev.vigil.alert.receiver;

/**
 * A delivery failed. {@link #permanent()} failures (a wrong password, a rejected request) are not
 * retried; the others (timeouts, 5xx, 429) are. Messages never contain secrets.
 */
public final class DeliveryException extends Exception {
  private final boolean permanent;

  /** Creates the error. */
  public DeliveryException(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  /** Whether retrying cannot help. */
  public boolean permanent() {
    return permanent;
  }
}
