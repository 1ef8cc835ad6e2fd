package dev.vigil.cache.memory;

import dev.vigil.cache.stats.CacheCounters;
import java.util.Set;

/**
 * One value held in the in-process level.
 *
 * @param value the value as given by the caller or decoded from Redis (never null)
 * @param expiresAtMillis the value's logical expiry in epoch millis (the Redis expiry when it came from Redis)
 * @param l1ExpiresAtMillis when the in-process copy expires: never later than {@code expiresAtMillis}
 * @param loadMillis how long the loader took to produce the value (0 when set directly), for early refresh
 * @param namespace the counters of the key's namespace, resolved once so a hit costs no string work
 * @param tags the tags the value was stored with (kept so the in-process tag index can forget the key)
 */
public record L1Entry(Object value, long expiresAtMillis, long l1ExpiresAtMillis, int loadMillis,
    CacheCounters.Namespace namespace, Set<String> tags) {

  /** Checks the invariants and copies the tags. */
  public L1Entry {
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    if (value == null) {
      throw new IllegalArgumentException("cached value must not be null");
    }
    if (l1ExpiresAtMillis > expiresAtMillis) {
      throw new IllegalArgumentException("in-process expiry " + l1ExpiresAtMillis + " is after the value's expiry "
          + expiresAtMillis);
    }
  }
}
