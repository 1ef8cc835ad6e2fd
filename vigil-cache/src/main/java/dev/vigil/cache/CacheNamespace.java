package dev.vigil.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A view of a {@link CacheManager} whose keys all start with {@code <name>:}; its stats appear under the
 * namespace's name. {@link #clear()} drops only this namespace.
 */
public final class CacheNamespace {
  private final CacheManager cache;
  private final String name;
  private final String prefix;

  CacheNamespace(CacheManager cache, String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.indexOf(':') >= 0) {
      throw new IllegalArgumentException("namespace name must be non-empty and contain no ':', got '" + name + "'");
    }
    this.cache = cache;
    this.name = name;
    this.prefix = name + ":";
  }

  /** The namespace's name. */
  public String name() {
    return name;
  }

  /** The full cache key of a key in this namespace. */
  public String key(String key) {
    return prefix + key;
  }

  /** Stores a value for {@code ttl}. */
  public void set(String key, Object value, Duration ttl) {
    cache.set(key(key), value, ttl);
  }

  /** Stores a value for a jittered TTL of a category. */
  public void set(String key, Object value, String category) {
    cache.set(key(key), value, category);
  }

  /** The value as {@code type}, if cached. */
  public <T> Optional<T> get(String key, Class<T> type) {
    return cache.get(key(key), type);
  }

  /** The value, loaded and stored on a miss (see {@link CacheManager#get(String, Class, Duration, Function)}). */
  public <T> T get(String key, Class<T> type, Duration ttl, Function<String, ? extends T> loader) {
    return cache.get(key(key), type, ttl, full -> loader.apply(full.substring(prefix.length())));
  }

  /** Deletes a key; returns whether it was held. */
  public boolean delete(String key) {
    return cache.delete(key(key));
  }

  /** Whether a key is held. */
  public boolean exists(String key) {
    return cache.exists(key(key));
  }

  /** Deletes every key of this namespace, on every node; returns how many were deleted. */
  public long clear() {
    return cache.invalidatePrefix(prefix);
  }
}
