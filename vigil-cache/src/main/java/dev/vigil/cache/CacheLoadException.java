package dev.vigil.cache;

/** The loader behind the cache threw; the message names the key, the cause is the loader's exception. */
public final class CacheLoadException extends CacheException {
  /** Creates the exception for a key. */
  public CacheLoadException(String key, Throwable cause) {
    super("loading key '" + key + "' failed: " + cause, cause);
  }
}
