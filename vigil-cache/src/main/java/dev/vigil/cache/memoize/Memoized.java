package dev.vigil.cache.memoize;

import dev.vigil.cache.CacheManager;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * A one-argument function whose results are cached under {@code <keyPrefix>:<arg>} (see
 * {@link KeyDerivation}): the documented {@code @cached(ttl, key_prefix)} decorator as a value. Concurrent
 * calls with the same argument run the function once.
 *
 * <pre>{@code
 * Memoized<Long, User> getUser = cache.memoize("user", Duration.ofMinutes(10), User.class, id -> db.loadUser(id));
 * User u = getUser.get(123L);   // miss: runs the function
 * getUser.invalidate(123L);     // after an update
 * getUser.clear();              // the documented get_user.clear_cache()
 * }</pre>
 *
 * @param <K> the argument type
 * @param <V> the result type
 */
public final class Memoized<K, V> {
  private final CacheManager cache;
  private final String keyPrefix;
  private final Duration ttl;
  private final Type type;
  private final Function<? super K, ? extends V> function;

  /**
   * Wraps a function; prefer {@link CacheManager#memoize}.
   *
   * @param type the result type, {@code Object.class} when unknown
   */
  public Memoized(CacheManager cache, String keyPrefix, Duration ttl, Type type, Function<? super K, ? extends V> function) {
    this.cache = Objects.requireNonNull(cache, "cache");
    if (keyPrefix == null || keyPrefix.isEmpty()) {
      throw new IllegalArgumentException("memoize key prefix must not be empty");
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("memoize TTL of '" + keyPrefix + "' must be positive, got " + ttl);
    }
    this.keyPrefix = keyPrefix;
    this.ttl = ttl;
    this.type = Objects.requireNonNull(type, "type");
    this.function = Objects.requireNonNull(function, "function");
  }

  /** The cached result for {@code arg}, computed on a miss; null results are returned but not cached. */
  public V get(K arg) {
    return cache.get(keyOf(arg), type, ttl, k -> function.apply(arg));
  }

  /** Drops the cached result for {@code arg} on every node; returns whether one was held. */
  public boolean invalidate(K arg) {
    return cache.delete(keyOf(arg));
  }

  /** Drops every cached result of this function on every node; returns how many were dropped. */
  public long clear() {
    return cache.invalidatePrefix(keyPrefix + ":");
  }

  /** The cache key of {@code arg}. */
  public String keyOf(K arg) {
    return KeyDerivation.key(keyPrefix, arg);
  }
}
