package dev.vigil.cache.redis;

/**
 * Redis did not answer (down, paused, unreachable, timed out). The cache catches it and serves from
 * memory; it never reaches a caller of {@code CacheManager}.
 */
public final class RedisUnavailableException extends RuntimeException {
  /** Creates the exception naming the operation that failed. */
  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
