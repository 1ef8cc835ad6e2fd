package dev.vigil.cache.observe;

import java.time.Instant;

/**
 * One loader call the cache observed.
 *
 * @param at when the value was stored
 * @param key the key
 * @param background whether it ran ahead of a read (early refresh or warming), so no reader waited
 * @param loadMillis how long the loader took
 * @param sincePreviousLoadMillis time since the key's previous load (the age of the value it replaced), or
 *     -1 for the first load seen
 * @param afterExpiry whether the previous value had expired (rather than been deleted or refreshed early)
 * @param changed whether the value differs from the previous one (compared by a hash of its encoded
 *     form); null for the first load seen
 */
public record LoadEvent(Instant at, String key, boolean background, long loadMillis, long sincePreviousLoadMillis,
    boolean afterExpiry, Boolean changed) {

  /** How long a reader waited for this load: the load time, or 0 when it ran in the background. */
  public long waitedMillis() {
    return background ? 0 : loadMillis;
  }
}
