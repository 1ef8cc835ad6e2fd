package dev.vigil.cache;

/**
 * A cache operation failed for a reason the caller must know about: a loader threw, a value could not be
 * decoded, Redis refused a command (permissions, wrong type). Redis being unreachable is never reported
 * this way: the cache then serves from memory.
 */
public class CacheException extends RuntimeException {
  /** Creates the exception with its context (key, operation) and cause. */
  public CacheException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with its context. */
  public CacheException(String message) {
    super(message);
  }
}
