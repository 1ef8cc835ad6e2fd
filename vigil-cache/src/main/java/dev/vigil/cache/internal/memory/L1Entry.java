package dev.vigil.cache.internal.memory;

import dev.vigil.cache.stats.CacheCounters;
import java.util.Optional;
import java.util.Set;

/**
 * One value held in the in-process level, immutable. Besides the value it keeps what a hit needs
 * without further work: the key's namespace counters and the value already wrapped in an
 * {@link Optional}, so an in-process hit allocates nothing (an {@code Optional} is immutable and
 * value-based, so every reader may share the one instance).
 */
public final class L1Entry {
  private final Object value;
  private final Optional<Object> present;
  private final long expiresAtMillis;
  private final long l1ExpiresAtMillis;
  private final int loadMillis;
  private final CacheCounters.Namespace namespace;
  private final Set<String> tags;

  /**
   * Creates an entry.
   *
   * @param value the value as given by the caller or decoded from Redis (never null)
   * @param expiresAtMillis the value's logical expiry in epoch millis (the Redis expiry when it came from Redis)
   * @param l1ExpiresAtMillis when the in-process copy expires: never later than {@code expiresAtMillis}
   * @param loadMillis how long the loader took to produce the value (0 when set directly), for early refresh
   * @param namespace the counters of the key's namespace, resolved once so a hit costs no string work
   * @param tags the tags the value was stored with (kept so the in-process tag index can forget the key)
   */
  public L1Entry(Object value, long expiresAtMillis, long l1ExpiresAtMillis, int loadMillis,
      CacheCounters.Namespace namespace, Set<String> tags) {
    if (value == null) {
      throw new IllegalArgumentException("cached value must not be null");
    }
    if (l1ExpiresAtMillis > expiresAtMillis) {
      throw new IllegalArgumentException("in-process expiry " + l1ExpiresAtMillis + " is after the value's expiry "
          + expiresAtMillis);
    }
    this.value = value;
    this.present = Optional.of(value);
    this.expiresAtMillis = expiresAtMillis;
    this.l1ExpiresAtMillis = l1ExpiresAtMillis;
    this.loadMillis = loadMillis;
    this.namespace = namespace;
    this.tags = tags == null ? Set.of() : Set.copyOf(tags);
  }

  /** The value (never null). */
  public Object value() {
    return value;
  }

  /** The value wrapped once, shared by every read that returns it unchanged. */
  public Optional<Object> present() {
    return present;
  }

  /** The value's logical expiry in epoch millis. */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /** When the in-process copy expires, in epoch millis. */
  public long l1ExpiresAtMillis() {
    return l1ExpiresAtMillis;
  }

  /** How long the loader took to produce the value, in millis (0 when set directly). */
  public int loadMillis() {
    return loadMillis;
  }

  /** The counters of the key's namespace. */
  public CacheCounters.Namespace namespace() {
    return namespace;
  }

  /** The tags the value was stored with. */
  public Set<String> tags() {
    return tags;
  }

  @Override
  public String toString() {
    return "L1Entry[value=" + value.getClass().getName() + ", expiresAtMillis=" + expiresAtMillis
        + ", l1ExpiresAtMillis=" + l1ExpiresAtMillis + ", loadMillis=" + loadMillis + ", tags=" + tags + "]";
  }
}
