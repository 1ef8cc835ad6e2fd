package dev.vigil.core.store;

/** The state store could not be opened, migrated or used; the message says which store and why. */
public final class StoreException extends RuntimeException {
  /** Creates the error. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
